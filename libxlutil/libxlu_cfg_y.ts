// The xl.cfg parser (tools/libs/util/libxlu_cfg_y.y). The tables are the LALR(1) tables GNU
// Bison 3.3.2 generates from that grammar (Xen ships the generated libxlu_cfg_y.c); the driver
// below follows Bison's yacc.c skeleton step for step, so error detection, the verbose
// "syntax error, unexpected X, expecting Y or Z" texts and `error NEWLINE` recovery are
// Bison's own. Grammar (rule numbers are the table indexes):
//   1 $accept: file $end            2 file: stmts            3 file: stmts assignment
//   4 stmts: ε                      5 stmts: stmts stmt      6 stmt: assignment endstmt
//   7 stmt: endstmt                 8 stmt: error NEWLINE    9 assignment: IDENT '=' value
//  10 assignment: IDENT "+=" value 11 endstmt: NEWLINE      12 endstmt: ';'
//  13 value: atom                  14 value: '[' nlok valuelist ']'
//  15 atom: STRING                 16 atom: NUMBER          17 valuelist: ε
//  18 valuelist: values            19 valuelist: values ',' nlok
//  20 values: value nlok           21 values: values ',' nlok value nlok
//  22 nlok: ε                      23 nlok: nlok NEWLINE
import { TOK, type CfgLexer } from './libxlu_cfg_l.js';

export type XLU_ConfigValue =
  | { type: 'string'; string: string; line: number }
  | { type: 'list'; values: XLU_ConfigValue[]; line: number };

export const XLU_OP = { ASSIGNMENT: 0, ADDITION: 1 } as const;
export type XLU_Operation = (typeof XLU_OP)[keyof typeof XLU_OP];

/** The actions the grammar calls (libxlu_cfg.c: xlu__cfg_set_store and friends). */
export interface CfgParseActions {
  err: number;
  set_store(name: string, op: XLU_Operation, value: XLU_ConfigValue | null, lineno: number): void;
  yyerror(first_line: number, msg: string): void;
}

// yacc.c tables for libxlu_cfg_y.y (Bison 3.3.2).
const YYFINAL = 3;
const YYLAST = 27;
const YYNTOKENS = 13;
const YYPACT_NINF = -18;
const YYTABLE_NINF = -3;
const YYTERROR = 1;
const YYEMPTY = -2;
const YYEOF = 0;
/** Bison's YYMAXDEPTH: deeper nesting ends in "memory exhausted". It bounds list nesting. */
export const YYMAXDEPTH = 10000;
const YYERROR_VERBOSE_ARGS_MAXIMUM = 5;

const yypact = [-18, 5, 1, -18, -3, 14, -18, -18, -18, 3, -18, -18, 10, 10, -18, -18, -18, -18, -18, -18, -18, 13, -18, -18, 15, 12, 19, -18, -18, 13, -18, 19];
const yydefact = [4, 0, 0, 1, 0, 0, 11, 12, 5, 3, 7, 8, 0, 0, 6, 15, 16, 22, 10, 13, 9, 17, 23, 22, 0, 18, 20, 14, 22, 19, 22, 21];
const yypgoto = [-18, -18, -18, -18, -18, 18, -13, -18, -18, -18, -17];
const yydefgoto = [-1, 1, 2, 8, 9, 10, 18, 19, 24, 25, 21];
const yytable = [20, -2, 4, 11, 5, 3, 26, 6, 23, 6, 7, 29, 7, 31, 15, 16, 30, 15, 16, 22, 17, 12, 13, 17, 28, 22, 27, 14];
const yycheck = [13, 0, 1, 6, 3, 0, 23, 6, 21, 6, 9, 28, 9, 30, 4, 5, 29, 4, 5, 6, 10, 7, 8, 10, 12, 6, 11, 9];
const yyr1 = [0, 13, 14, 14, 15, 15, 16, 16, 16, 17, 17, 18, 18, 19, 19, 20, 20, 21, 21, 21, 22, 22, 23, 23];
const yyr2 = [0, 2, 1, 2, 0, 2, 2, 1, 2, 3, 3, 1, 1, 1, 4, 1, 1, 0, 1, 3, 2, 5, 0, 2];
/** yytname after yytnamerr (which strips the double quotes of "\"+=\""). */
const yytname = ['$end', 'error', '$undefined', 'IDENT', 'STRING', 'NUMBER', 'NEWLINE', '+=', "'='", "';'", "'['", "']'", "','"];

/** yytranslate for the tokens the lexer returns. */
function yytranslate(t: number): number {
  switch (t) {
    case TOK.IDENT:
      return 3;
    case TOK.STRING:
      return 4;
    case TOK.NUMBER:
      return 5;
    case TOK.NEWLINE:
      return 6;
    case TOK.OP_ADD:
      return 7;
    case 0x3d: // '='
      return 8;
    case 0x3b: // ';'
      return 9;
    case 0x5b: // '['
      return 10;
    case 0x5d: // ']'
      return 11;
    case 0x2c: // ','
      return 12;
    default:
      return 2;
  }
}

/** yysyntax_error with %error-verbose. */
function yysyntax_error(state: number, yytoken: number): string {
  const args: string[] = [];
  if (yytoken !== YYEMPTY) {
    const yyn = yypact[state]!;
    args.push(yytname[yytoken]!);
    if (yyn !== YYPACT_NINF) {
      const xbegin = yyn < 0 ? -yyn : 0;
      const checklim = YYLAST - yyn + 1;
      const xend = checklim < YYNTOKENS ? checklim : YYNTOKENS;
      for (let x = xbegin; x < xend; x++) {
        if (yycheck[x + yyn] === x && x !== YYTERROR && yytable[x + yyn] !== YYTABLE_NINF) {
          if (args.length === YYERROR_VERBOSE_ARGS_MAXIMUM) {
            args.length = 1;
            break;
          }
          args.push(yytname[x]!);
        }
      }
    }
  }
  if (args.length === 0) return 'syntax error';
  let m = `syntax error, unexpected ${args[0]}`;
  for (let i = 1; i < args.length; i++) m += `${i === 1 ? ', expecting ' : ' or '}${args[i]}`;
  return m;
}

type Sem = string | XLU_ConfigValue | null;

/** Port of xlu__cfg_yyparse: 0 accepted, 1 aborted on a syntax error, 2 stack exhausted. */
export function xlu__cfg_yyparse(lex: CfgLexer, ctx: CfgParseActions): number {
  const ss: number[] = [0];
  const vs: Sem[] = [null];
  const ls: number[] = [1];
  let yylloc = 1; // yylloc.first_line; the lexer never sets it at EOF
  let yychar = YYEMPTY;
  let yylval: Sem = null;
  let yyerrstatus = 0;
  let state = 0;

  const listMk = (val: XLU_ConfigValue | null, line: number): XLU_ConfigValue | null => {
    if (ctx.err) return null;
    return { type: 'list', values: val === null ? [] : [val], line };
  };

  for (;;) {
    // yynewstate
    if (ss.length > YYMAXDEPTH) {
      ctx.yyerror(yylloc, 'memory exhausted');
      return 2;
    }
    if (state === YYFINAL) return 0;
    let yyn = yypact[state]!;
    let doReduce = -1;
    let errlab = false;
    if (yyn === YYPACT_NINF) {
      doReduce = yydefact[state]!;
      if (doReduce === 0) errlab = true;
    } else {
      if (yychar === YYEMPTY) {
        const t = lex.lex();
        yychar = t.type;
        yylval = t.type === TOK.STRING || t.type === TOK.IDENT || t.type === TOK.NUMBER ? t.value : null;
        if (t.type !== TOK.EOF) yylloc = t.line;
      }
      const yytoken = yychar <= YYEOF ? YYEOF : yytranslate(yychar);
      if (yychar <= YYEOF) yychar = YYEOF;
      yyn += yytoken;
      if (yyn < 0 || YYLAST < yyn || yycheck[yyn] !== yytoken) {
        doReduce = yydefact[state]!;
        if (doReduce === 0) errlab = true;
      } else {
        yyn = yytable[yyn]!;
        if (yyn <= 0) {
          if (yyn === YYTABLE_NINF) errlab = true;
          else doReduce = -yyn;
        } else {
          // shift
          if (yyerrstatus) yyerrstatus--;
          yychar = YYEMPTY;
          state = yyn;
          ss.push(state);
          vs.push(yylval);
          ls.push(yylloc);
          continue;
        }
      }
    }

    if (errlab) {
      const yytoken = yychar === YYEMPTY ? YYEMPTY : yychar <= YYEOF ? YYEOF : yytranslate(yychar);
      if (!yyerrstatus) ctx.yyerror(yylloc, yysyntax_error(state, yytoken));
      if (yyerrstatus === 3) {
        if (yychar <= YYEOF) {
          if (yychar === YYEOF) return 1;
        } else yychar = YYEMPTY;
      }
      // yyerrlab1
      yyerrstatus = 3;
      for (;;) {
        let n = yypact[state]!;
        if (n !== YYPACT_NINF) {
          n += YYTERROR;
          if (n >= 0 && n <= YYLAST && yycheck[n] === YYTERROR) {
            n = yytable[n]!;
            if (n > 0) {
              yyn = n;
              break;
            }
          }
        }
        if (ss.length === 1) return 1;
        ss.pop();
        vs.pop();
        ls.pop();
        state = ss[ss.length - 1]!;
      }
      state = yyn;
      ss.push(state);
      vs.push(null);
      ls.push(yylloc);
      continue;
    }

    // yyreduce
    const rule = doReduce;
    const len = yyr2[rule]!;
    const base = vs.length - len;
    const v = (i: number): Sem => vs[base + i - 1]!;
    const l = (i: number): number => ls[base + i - 1]!;
    let val: Sem = len > 0 ? v(1) : null;
    const loc = len > 0 ? l(1) : 1;
    switch (rule) {
      case 9:
      case 10:
        if (ctx.err) break;
        ctx.set_store(v(1) as string, rule === 9 ? XLU_OP.ASSIGNMENT : XLU_OP.ADDITION, v(3) as XLU_ConfigValue | null, l(3));
        break;
      case 13:
        val = ctx.err ? null : { type: 'string', string: v(1) as string, line: l(1) };
        break;
      case 14:
        val = v(3);
        break;
      case 17:
        val = listMk(null, yylloc);
        break;
      case 18:
      case 19:
        val = v(1);
        break;
      case 20:
        val = listMk(v(1) as XLU_ConfigValue | null, l(1));
        break;
      case 21: {
        const list = v(1) as XLU_ConfigValue | null;
        const item = v(4) as XLU_ConfigValue | null;
        if (!ctx.err && list?.type === 'list' && item !== null) list.values.push(item);
        val = list;
        break;
      }
      default:
        break;
    }
    ss.length -= len;
    vs.length -= len;
    ls.length -= len;
    vs.push(val);
    ls.push(loc);
    const lhs = yyr1[rule]! - YYNTOKENS;
    const top = ss[ss.length - 1]!;
    const g = yypgoto[lhs]! + top;
    state = g >= 0 && g <= YYLAST && yycheck[g] === top ? yytable[g]! : yydefgoto[lhs]!;
    ss.push(state);
  }
}
