// libxlutil's config store and typed getters (tools/libs/util/libxlu_cfg.c): what xl uses to
// read xl.cfg and xl.conf. Warnings and errors go to the report stream with xl's texts; the
// getters return 0, ESRCH (no such key) or EINVAL/ERANGE as the C ones do.
//
// Bounds (written down here and in docs): config text at most XLU_CFG_MAX_BYTES (larger is
// EFBIG before any parsing); list nesting is bounded by the parser stack (YYMAXDEPTH, Bison's
// "memory exhausted"); the number of tokens and list items is bounded by the text size.
import { CfgLexer, type CfgLexContext } from './libxlu_cfg_l.js';
import { xlu__cfg_yyparse, XLU_OP, type CfgParseActions, type XLU_ConfigValue, type XLU_Operation } from './libxlu_cfg_y.js';

export { XLU_OP, type XLU_ConfigValue, type XLU_Operation } from './libxlu_cfg_y.js';

export const ESRCH = 3;
export const EINVAL = 22;
export const ERANGE = 34;
export const EFBIG = 27;

/** xenemu bound on the text one xlu_cfg_readdata call takes (xl.cfg and xl.conf are small). */
export const XLU_CFG_MAX_BYTES = 1 << 20;

const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

export const strerror = (e: number): string =>
  ({ [ESRCH]: 'No such process', [EINVAL]: 'Invalid argument', [ERANGE]: 'Numerical result out of range', [EFBIG]: 'File too large' })[e] ?? `Unknown error ${e}`;

export interface XLU_ConfigSetting {
  name: string;
  value: XLU_ConfigValue;
  op: XLU_Operation;
  lineno: number;
}

export type XLU_ConfigList = XLU_ConfigValue & { type: 'list' };

/** XLU_Config: settings newest first (find() returns the first match: last assignment wins). */
export interface XLU_Config {
  settings: XLU_ConfigSetting[];
  report: (s: string) => void;
  config_source: string;
}

export function xlu_cfg_init(report: (s: string) => void, report_source: string): XLU_Config {
  return { settings: [], report, config_source: report_source };
}

/** Port of xlu_cfg_readdata: parses text into cfg; 0 or an errno (EINVAL for any parse error). */
export function xlu_cfg_readdata(cfg: XLU_Config, data: string): number {
  if (data.length > XLU_CFG_MAX_BYTES) {
    cfg.report(`${cfg.config_source}: config text of ${data.length} bytes is over the ${XLU_CFG_MAX_BYTES}-byte bound\n`);
    return EFBIG;
  }
  let lexerrlineno = -1;
  let lexer: CfgLexer;
  const ctx: CfgLexContext & CfgParseActions = {
    err: 0,
    likely_python: false,
    // Port of xlu__cfg_yyerror: text is the scanner's current yytext, trimmed of one trailing
    // newline (and the line with it) and of trailing blanks.
    yyerror(first_line: number, msg: string): void {
      let lineno = first_line;
      if (lineno <= lexerrlineno) return;
      let text = lexer.yytext;
      const nul = text.indexOf('\0');
      const printable = (t: string): string => (nul >= 0 ? t.slice(0, nul) : t);
      let newline = '';
      if (text.length > 0 && text.endsWith('\n')) {
        text = text.slice(0, -1);
        lineno--;
        if (text.length === 0) newline = '<newline>';
      }
      text = text.replace(/[ \t]+$/, '');
      const near = text.length > 0 ? `\`${printable(text)}'` : '';
      cfg.report(`${cfg.config_source}:${lineno}: config parsing error near ${near}${newline}: ${msg}\n`);
      if (!ctx.err) ctx.err = EINVAL;
    },
    lexicalerror(msg: string): void {
      const line = lexer.yylineno;
      ctx.yyerror(line, msg);
      lexerrlineno = line;
    },
    set_store(name: string, op: XLU_Operation, value: XLU_ConfigValue | null, lineno: number): void {
      if (ctx.err || value === null) return;
      if (op === XLU_OP.ADDITION) {
        const prev = find(cfg, name);
        if (prev) {
          const r = concat_vals(ctx, prev.value, value);
          if (r) {
            ctx.err = r;
            return;
          }
        }
      }
      cfg.settings.unshift({ name, value, op, lineno });
    },
  };
  lexer = new CfgLexer(data, ctx);
  const r = xlu__cfg_yyparse(lexer, ctx);
  if (r && !ctx.err) ctx.err = EINVAL;
  if (ctx.err && ctx.likely_python) {
    cfg.report(
      'warning: Config file looks like it contains Python code.\n' +
        'warning:  Arbitrary Python is no longer supported.\n' +
        'warning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n',
    );
  }
  return ctx.err;
}

/** Port of xlu__cfg_concat_vals: `+=` appends a string or a list to the previous value. */
function concat_vals(ctx: CfgLexContext, prev: XLU_ConfigValue, add: XLU_ConfigValue): number {
  if (prev.type !== add.type) {
    ctx.lexicalerror('can\'t add [list] to "string" or vice versa');
    return EINVAL;
  }
  if (prev.type === 'string' && add.type === 'string') add.string = prev.string + add.string;
  else if (prev.type === 'list' && add.type === 'list') {
    add.values.unshift(...prev.values);
    prev.values = [];
  }
  return 0;
}

function find(cfg: XLU_Config, n: string): XLU_ConfigSetting | undefined {
  return cfg.settings.find((s) => s.name === n);
}

function find_atom(cfg: XLU_Config, n: string, dont_warn: boolean): XLU_ConfigSetting | number {
  const set = find(cfg, n);
  if (!set) return ESRCH;
  if (set.value.type !== 'string') {
    if (!dont_warn) cfg.report(`${cfg.config_source}:${set.lineno}: warning: parameter \`${n}' is a list but should be a single value\n`);
    return EINVAL;
  }
  return set;
}

export type XluResult<T> = { e: 0; value: T } | { e: number };

/** Port of xlu_cfg_get_string. */
export function xlu_cfg_get_string(cfg: XLU_Config, n: string, dont_warn = false): XluResult<string> {
  const set = find_atom(cfg, n, dont_warn);
  if (typeof set === 'number') return { e: set };
  return { e: 0, value: (set.value as { string: string }).string };
}

/** strtol(s, &ep, 0): the value (saturated, with ERANGE) and how many characters were used. */
function strtol0(s: string): { value: bigint; used: number; erange: boolean } {
  const m = /^([ \t\n\v\f\r]*)([+-]?)/.exec(s)!;
  let i = m[0].length;
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const digits = (base === 16 ? /^[0-9a-fA-F]+/ : base === 8 ? /^[0-7]+/ : /^[0-9]+/).exec(s.slice(i));
  if (digits === null) return { value: 0n, used: 0, erange: false };
  let v = BigInt((base === 16 ? '0x' : base === 8 ? '0o' : '') + digits[0]);
  if (m[2] === '-') v = -v;
  let erange = false;
  if (v > LONG_MAX) [v, erange] = [LONG_MAX, true];
  if (v < LONG_MIN) [v, erange] = [LONG_MIN, true];
  return { value: v, used: i + digits[0].length, erange };
}

/** Port of xlu_cfg_get_bounded_long (numbers are exact up to 2^53). */
export function xlu_cfg_get_bounded_long(cfg: XLU_Config, n: string, min: bigint, max: bigint, dont_warn = false): XluResult<number> {
  const set = find_atom(cfg, n, dont_warn);
  if (typeof set === 'number') return { e: set };
  const w = (s: string): void => {
    if (!dont_warn) cfg.report(`${cfg.config_source}:${set.lineno}: warning: ${s}\n`);
  };
  if (set.op === XLU_OP.ADDITION) {
    w(`can't use += with numbers for parameter \`${n}'`);
    return { e: EINVAL };
  }
  const str = (set.value as { string: string }).string;
  const r = strtol0(str);
  if (r.erange) {
    w(`parameter \`${n}' could not be parsed as a number: ${strerror(ERANGE)}`);
    return { e: ERANGE };
  }
  if (r.used !== str.length || r.used === 0) {
    w(`parameter \`${n}' is not a valid number`);
    return { e: EINVAL };
  }
  if (r.value < min) {
    w(`value \`${r.value}' is smaller than minimum bound '${min}'`);
    return { e: EINVAL };
  }
  if (r.value > max) {
    w(`value \`${r.value}' is greater than maximum bound '${max}'`);
    return { e: EINVAL };
  }
  return { e: 0, value: Number(r.value) };
}

/** Port of xlu_cfg_get_long. */
export function xlu_cfg_get_long(cfg: XLU_Config, n: string, dont_warn = false): XluResult<number> {
  return xlu_cfg_get_bounded_long(cfg, n, LONG_MIN, LONG_MAX, dont_warn);
}

/** Port of xlu_cfg_get_defbool: a long, true when non-zero. */
export function xlu_cfg_get_defbool(cfg: XLU_Config, n: string, dont_warn = false): XluResult<boolean> {
  const r = xlu_cfg_get_long(cfg, n, dont_warn);
  return r.e === 0 && 'value' in r ? { e: 0, value: r.value !== 0 } : { e: r.e };
}

/** Port of xlu_cfg_get_list. */
export function xlu_cfg_get_list(cfg: XLU_Config, n: string, dont_warn = false): XluResult<XLU_ConfigList> {
  const set = find(cfg, n);
  if (!set) return { e: ESRCH };
  if (set.value.type !== 'list') {
    if (!dont_warn) cfg.report(`${cfg.config_source}:${set.lineno}: warning: parameter \`${n}' is a single value but should be a list\n`);
    return { e: EINVAL };
  }
  return { e: 0, value: set.value as XLU_ConfigList };
}

/** Port of xlu_cfg_get_listitem: the entry's string, or null past the end or for a sublist. */
export function xlu_cfg_get_listitem(list: XLU_ConfigList, entry: number): string | null {
  const v = list.values[entry];
  return v?.type === 'string' ? v.string : null;
}

/** Port of xlu_cfg_get_listitem2: the entry's value, or null past the end. */
export function xlu_cfg_get_listitem2(list: XLU_ConfigList, entry: number): XLU_ConfigValue | null {
  return list.values[entry] ?? null;
}

/** Port of xlu_cfg_value_get_list: the value as a list; warns "value is not a list" otherwise. */
export function xlu_cfg_value_get_list(cfg: XLU_Config, value: XLU_ConfigValue, dont_warn = false): XLU_ConfigList | null {
  if (value.type !== 'list') {
    // The lexer never sets columns, so first_column is Bison's initial 1.
    if (!dont_warn) cfg.report(`${cfg.config_source}:${value.line}:1: warning: value is not a list\n`);
    return null;
  }
  return value as XLU_ConfigList;
}

/** Port of xlu_cfg_value_get_string. */
export function xlu_cfg_value_get_string(cfg: XLU_Config, value: XLU_ConfigValue, dont_warn = false): string | null {
  if (value.type !== 'string') {
    if (!dont_warn) cfg.report(`${cfg.config_source}:${value.line}:1: warning: value is not a string\n`);
    return null;
  }
  return value.string;
}

/** Result helper: the value when e is 0. */
export const ok = <T>(r: XluResult<T>): T | undefined => (r.e === 0 && 'value' in r ? r.value : undefined);
