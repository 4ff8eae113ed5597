// The xl.cfg lexer (tools/libs/util/libxlu_cfg_l.l) as a hand-written scanner that reproduces
// flex's longest-match choices, its yylineno counting, yymore() in the lexerr state and the
// quirks that follow from them: a `#` comment needs a newline after it, a lexical error still
// pending at end of file is dropped, and the NEWLINE that ends a lexical error carries the next
// line's number. Strings are dequoted as xlu__cfgl_dequote does (libxlu_cfg.c).

/** Bison token numbers (libxlu_cfg_y.h) and the single-character tokens. */
export const TOK = { EOF: 0, IDENT: 258, STRING: 259, NUMBER: 260, NEWLINE: 261, OP_ADD: 262 } as const;

export interface CfgToken {
  /** TOK.* or the character code of `, [ ] = ;`. */
  type: number;
  /** IDENT, NUMBER and (dequoted) STRING text. */
  value: string;
  /** yylloc.first_line as the lexer's GOT() sets it. */
  line: number;
}

/** What the lexer's actions report through (CfgParseContext in libxlu_internal.h). */
export interface CfgLexContext {
  err: number;
  likely_python: boolean;
  lexicalerror(msg: string): void;
}

const EINVAL = 22;

const isIdentStart = (c: string): boolean => c >= 'a' && c <= 'z';
const isIdentChar = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '.' || c === '_';
const isNumberChar = (c: string): boolean => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c === 'x';
/** The `[+-.():]` rule: the range `+-.` is `+ , - .`; `,` is taken by its own earlier rule. */
const isPythonish = (c: string): boolean => '+-.():'.includes(c);

/** The scanner: yytext and yylineno are public because xlu__cfg_yyerror reads them. */
export class CfgLexer {
  yytext = '';
  yylineno = 1;
  private pos = 0;
  private lexerr = false;
  private more = '';

  constructor(
    private readonly src: string,
    private readonly ctx: CfgLexContext,
  ) {}

  /** Matched text becomes yytext (with any yymore() prefix) and bumps yylineno per newline. */
  private take(len: number): string {
    const t = this.src.slice(this.pos, this.pos + len);
    this.pos += len;
    this.yytext = this.more + t;
    this.more = '';
    for (const ch of t) if (ch === '\n') this.yylineno++;
    return this.yytext;
  }

  /** Length of a quoted string starting at pos (`'([^'\\\n]|\\.)*'`), or 0 if none matches. */
  private quotedLength(q: string): number {
    let i = this.pos + 1;
    while (i < this.src.length) {
      const c = this.src[i]!;
      if (c === q) return i + 1 - this.pos;
      if (c === '\n') return 0;
      if (c === '\\') {
        if (i + 1 >= this.src.length || this.src[i + 1] === '\n') return 0;
        i += 2;
      } else i++;
    }
    return 0;
  }

  /** Port of xlu__cfg_yylex: the next token, TOK.EOF at the end. */
  lex(): CfgToken {
    for (;;) {
      const s = this.src;
      if (this.pos >= s.length) {
        // flex drops a pending yymore() text at EOF: the lexical error is never reported. yytext
        // is then the one-byte end-of-buffer NUL, which yyerror prints as "`'".
        this.yytext = '\0';
        this.more = '';
        this.lexerr = false;
        return { type: TOK.EOF, value: '', line: -1 };
      }
      const c = s[this.pos]!;
      if (this.lexerr) {
        this.lexerr = false;
        if (c === '\n') {
          this.take(1);
          this.ctx.lexicalerror('lexical error');
          return { type: TOK.NEWLINE, value: '', line: this.yylineno };
        }
        if (c === ' ' || c === '\t') this.take(1);
        else {
          let n = 0;
          while (this.pos + n < s.length && !' \t\n'.includes(s[this.pos + n]!)) n++;
          this.take(n);
        }
        this.ctx.lexicalerror('lexical error');
        continue;
      }
      if (isIdentStart(c)) {
        let n = 1;
        while (this.pos + n < s.length && isIdentChar(s[this.pos + n]!)) n++;
        const t = this.take(n);
        return { type: TOK.IDENT, value: t, line: this.yylineno };
      }
      if (c >= '0' && c <= '9') {
        let n = 1;
        while (this.pos + n < s.length && isNumberChar(s[this.pos + n]!)) n++;
        const t = this.take(n);
        return { type: TOK.NUMBER, value: t, line: this.yylineno };
      }
      if (c === ' ' || c === '\t') {
        this.take(1);
        continue;
      }
      if (c === ',' || c === '[' || c === ']' || c === ';' || c === '=') {
        this.take(1);
        return { type: c.charCodeAt(0), value: '', line: this.yylineno };
      }
      if (c === '+' && s[this.pos + 1] === '=') {
        this.take(2);
        return { type: TOK.OP_ADD, value: '', line: this.yylineno };
      }
      if (c === '\n') {
        this.take(1);
        return { type: TOK.NEWLINE, value: '', line: this.yylineno - 1 };
      }
      if (c === '#') {
        const nl = s.indexOf('\n', this.pos);
        if (nl >= 0) {
          this.take(nl + 1 - this.pos);
          return { type: TOK.NEWLINE, value: '', line: this.yylineno - 1 };
        }
        // `\#.*\n` needs the newline; a final comment without one is a lexical error.
      }
      if (c === '"' || c === "'") {
        const n = this.quotedLength(c);
        if (n > 0) {
          const t = this.take(n);
          return { type: TOK.STRING, value: this.dequote(t), line: this.yylineno };
        }
      }
      if (isPythonish(c)) this.ctx.likely_python = true;
      this.more = c;
      this.pos++;
      this.lexerr = true;
    }
  }

  /** Port of xlu__cfgl_dequote: the escapes it knows, and its numerical-escape handling. */
  private dequote(src: string): string {
    if (this.ctx.err) return '';
    let out = '';
    let p = 1;
    const end = src.length - 1;
    while (p < end) {
      const c = src[p++]!;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const nc = src[p++]!;
      const simple: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
      const e = simple[nc];
      if (e !== undefined) {
        out += e;
        continue;
      }
      let numeric: [number, number, number, string] | null = null;
      if (nc === 'x') {
        p++; // xlu__cfgl_dequote steps over one more character before reading the digits
        numeric = [2, 2, 16, 'hex'];
      } else if (nc >= '0' && nc <= '7') numeric = [1, 3, 10, 'octal'];
      if (numeric === null) {
        this.ctx.lexicalerror('invalid character after backlash in quoted string');
        this.ctx.err = EINVAL;
        return out;
      }
      const [minlen, maxlen, base, basetext] = numeric;
      // NUMERIC_CHAR: strtoul over at most maxlen characters; no character is ever emitted.
      const used = strtoulLength(src.slice(p, p + maxlen), base);
      if (used <= minlen) {
        this.ctx.lexicalerror(`invalid digit after backslash ${basetext}numerical character escape in quoted string`);
        this.ctx.err = EINVAL;
        return out;
      }
      p += used;
    }
    return out;
  }
}

/** How many characters strtoul(s, &ep, base) consumes (0 when it finds no digits). */
function strtoulLength(s: string, base: number): number {
  const m = (base === 16 ? /^[ \t\n\v\f\r]*[+-]?(?:0[xX](?=[0-9a-fA-F]))?[0-9a-fA-F]+/ : /^[ \t\n\v\f\r]*[+-]?[0-9]+/).exec(s);
  return m === null ? 0 : m[0].length;
}
