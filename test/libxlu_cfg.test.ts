// The xl.cfg lexer, parser and getters (tools/libs/util/libxlu_cfg_l.l, libxlu_cfg_y.y,
// libxlu_cfg.c): every grammar rule, the flex and Bison quirks, xl's error texts and lines.
import { describe, expect, it } from 'vitest';
import {
  EINVAL,
  ERANGE,
  ESRCH,
  EFBIG,
  XLU_CFG_MAX_BYTES,
  xlu_cfg_get_bounded_long,
  xlu_cfg_get_defbool,
  xlu_cfg_get_list,
  xlu_cfg_get_listitem,
  xlu_cfg_get_listitem2,
  xlu_cfg_get_long,
  xlu_cfg_get_string,
  xlu_cfg_init,
  xlu_cfg_readdata,
  xlu_cfg_value_get_list,
  xlu_cfg_value_get_string,
  type XLU_Config,
  type XLU_ConfigValue,
} from '../libxlutil/libxlu_cfg.js';
import { YYMAXDEPTH } from '../libxlutil/libxlu_cfg_y.js';

function parse(text: string): { e: number; report: string; cfg: XLU_Config } {
  let report = '';
  const cfg = xlu_cfg_init((s) => (report += s), 'g.cfg');
  const e = xlu_cfg_readdata(cfg, text);
  return { e, report, cfg };
}

const plain = (v: XLU_ConfigValue): unknown => (v.type === 'string' ? v.string : v.values.map(plain));
/** name -> value of the setting find() returns (newest first). */
function values(cfg: XLU_Config): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const s of cfg.settings) if (!(s.name in o)) o[s.name] = plain(s.value);
  return o;
}

const PYTHON = 'warning: Config file looks like it contains Python code.\nwarning:  Arbitrary Python is no longer supported.\nwarning:  See https://wiki.xen.org/wiki/PythonInXlConfig\n';

describe('xl.cfg lexer', () => {
  it('identifiers are lowercase with dots and underscores; numbers stay strings', () => {
    const r = parse('vif.default.script = "x"\nmax_vcpus=010\nm=0x1f\n');
    expect(r.e).toBe(0);
    expect(values(r.cfg)).toEqual({ 'vif.default.script': 'x', max_vcpus: '010', m: '0x1f' });
  });

  it('an uppercase letter starts a lexical error that swallows the rest of the word', () => {
    const r = parse('Name="x"\n');
    expect(r.e).toBe(EINVAL);
    expect(r.report).toBe('g.cfg:1: config parsing error near `Name="x"\': lexical error\n');
  });

  it('uppercase hex digits end the NUMBER and the rest is a lexical error', () => {
    const r = parse('x = 0x1F\n');
    expect(r.report).toBe("g.cfg:1: config parsing error near `F': lexical error\n");
    expect(r.e).toBe(EINVAL);
  });

  it('Python-looking characters (+ - . ( ) :) add the warning; others do not', () => {
    const dash = parse('llc-colors = "9-13"\n');
    expect(dash.report).toBe(`g.cfg:1: config parsing error near \`-colors': lexical error\n${PYTHON}`);
    const paren = parse('a=(1)\n');
    expect(paren.report).toBe(`g.cfg:1: config parsing error near \`(1)': lexical error\n${PYTHON}`);
    const at = parse('a=@ 1\n');
    expect(at.report).toBe("g.cfg:1: config parsing error near `@': lexical error\n");
  });

  it('# comments run to the newline; a last comment without one is a lexical error', () => {
    expect(parse('a=1 # c\n#only\nb=2\n').report).toBe('');
    expect(values(parse('a=1 # c\n#only\nb=2\n').cfg)).toEqual({ a: '1', b: '2' });
    const r = parse('a=1\n#x');
    expect(r.report).toBe("g.cfg:2: config parsing error near `#x': lexical error\n");
  });

  it('a lexical error still pending at end of file is never reported', () => {
    const r = parse('a=1\n-');
    expect(r.e).toBe(0);
    expect(r.report).toBe('');
  });

  it('CR before LF is a lexical error on that line', () => {
    expect(parse('a=1\r\n').report).toBe("g.cfg:1: config parsing error near `\r': lexical error\n");
  });

  it('quoted strings: both quotes, the escapes xl knows', () => {
    const r = parse(`a='q\\'s'\nb="t\\tn\\n\\"\\\\"\nc="\\a\\b\\f\\r\\v"\n`);
    expect(r.e).toBe(0);
    expect(values(r.cfg)).toEqual({ a: "q's", b: 't\tn\n"\\', c: '\x07\b\f\r\v' });
  });

  it('an unknown escape is "invalid character after backlash" (sic)', () => {
    const r = parse('a = "\\q"\n');
    expect(r.report).toBe('g.cfg:1: config parsing error near `"\\q"\': invalid character after backlash in quoted string\n');
    expect(r.e).toBe(EINVAL);
  });

  it('numerical escapes: \\x always fails, octal needs digits and emits nothing', () => {
    expect(parse('a="\\x41"\n').report).toBe('g.cfg:1: config parsing error near `"\\x41"\': invalid digit after backslash hexnumerical character escape in quoted string\n');
    expect(parse('a="\\12"\n').report).toBe('g.cfg:1: config parsing error near `"\\12"\': invalid digit after backslash octalnumerical character escape in quoted string\n');
    const ok = parse('a="x\\0123y"\n');
    expect(ok.e).toBe(0);
    expect(values(ok.cfg)).toEqual({ a: 'xy' });
  });

  it('an unterminated string is a lexical error on its line', () => {
    const r = parse('a="unterminated\nb=2\n');
    expect(r.report).toBe('g.cfg:1: config parsing error near `"unterminated\': lexical error\n');
    expect(r.cfg.settings).toEqual([]);
  });
});

describe('xl.cfg grammar', () => {
  it('; and newline end statements; empty statements are fine; the last line needs no newline', () => {
    const r = parse('\n;a=1;b="x";\n\nc=2');
    expect(r.e).toBe(0);
    expect(values(r.cfg)).toEqual({ a: '1', b: 'x', c: '2' });
  });

  it('lists: nested, newlines inside, trailing comma, empty', () => {
    const r = parse('a=[\n"x",\n\n"y"\n,\n]\nb=[]\nc=[[1,2],[]]\nd=[1,]\n');
    expect(r.e).toBe(0);
    expect(values(r.cfg)).toEqual({ a: ['x', 'y'], b: [], c: [['1', '2'], []], d: ['1'] });
  });

  it('last assignment wins', () => {
    expect(values(parse('a=1\na=2\na="three"\n').cfg)).toEqual({ a: 'three' });
  });

  it('+= concatenates strings and appends lists; the first += just stores', () => {
    const r = parse('s="a"\ns+="b"\nl=[]\nl+=["x"]\nl+=["y","z"]\nn+="q"\n');
    expect(r.e).toBe(0);
    expect(values(r.cfg)).toEqual({ s: 'ab', l: ['x', 'y', 'z'], n: 'q' });
  });

  it('+= mixing a list and a string is an error at the token after the value', () => {
    const r = parse('a="x"\na+=[1]\n');
    expect(r.report).toBe('g.cfg:2: config parsing error near `]\': can\'t add [list] to "string" or vice versa\n');
    expect(r.e).toBe(EINVAL);
  });

  it("syntax errors: Bison's verbose texts, <newline> and its line quirk", () => {
    expect(parse('a=\n').report).toBe("g.cfg:0: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['\n");
    expect(parse('a=1\n\n\nb=\n').report).toBe("g.cfg:3: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['\n");
    expect(parse('a\n').report).toBe("g.cfg:0: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting += or '='\n");
    expect(parse('=1\n').report).toBe("g.cfg:1: config parsing error near `=': syntax error, unexpected '=', expecting $end or IDENT or NEWLINE or ';'\n");
    expect(parse('a=[,]\n').report).toBe("g.cfg:1: config parsing error near `,': syntax error, unexpected ',', expecting ']'\n");
    expect(parse('a=[1 2]\n').report).toBe("g.cfg:1: config parsing error near `2': syntax error, unexpected NUMBER, expecting ']'\n");
    expect(parse('a=]\n').report).toBe("g.cfg:1: config parsing error near `]': syntax error, unexpected ']', expecting STRING or NUMBER or '['\n");
  });

  it('two values on one line: the default reduction leaves only $end expected', () => {
    const r = parse('a=1 b=2\nc=3\n');
    expect(r.report).toBe("g.cfg:1: config parsing error near `b': syntax error, unexpected IDENT, expecting $end\n");
    expect(values(r.cfg)).toEqual({ a: '1' });
  });

  it('end of file inside a list: near `\' and the last token\'s line', () => {
    const r = parse('a=1\nb=["x",\n');
    expect(r.report).toBe("g.cfg:2: config parsing error near `': syntax error, unexpected $end, expecting ']'\n");
  });

  it('error NEWLINE recovery reports later lines; nothing after the first error is stored', () => {
    const r = parse('a=1\nb=\nc=2\nd=[\n');
    expect(r.report).toBe(
      "g.cfg:1: config parsing error near <newline>: syntax error, unexpected NEWLINE, expecting STRING or NUMBER or '['\n" +
        "g.cfg:4: config parsing error near `': syntax error, unexpected $end, expecting ']'\n",
    );
    expect(values(r.cfg)).toEqual({ a: '1' });
  });

  it('a lexical error hides later errors on its line; the next line reports again', () => {
    const r = parse('a=1\nb=@\nc=?\nd=3\n');
    expect(r.report).toBe("g.cfg:2: config parsing error near `@': lexical error\ng.cfg:3: config parsing error near `?': lexical error\n");
    expect(values(r.cfg)).toEqual({ a: '1' });
  });

  it('setting line numbers are the value\'s first line', () => {
    const r = parse('\n\na=[\n"x"]\n');
    expect(r.cfg.settings[0]!.lineno).toBe(3);
  });
});

describe('bounds', () => {
  it('text over XLU_CFG_MAX_BYTES is EFBIG before parsing', () => {
    const r = parse(`a="${'x'.repeat(XLU_CFG_MAX_BYTES)}"\n`);
    expect(r.e).toBe(EFBIG);
    expect(r.cfg.settings).toEqual([]);
    expect(r.report).toContain('over the 1048576-byte bound');
  });

  it('list nesting beyond the parser stack is "memory exhausted"', () => {
    const depth = YYMAXDEPTH;
    const r = parse(`a=${'['.repeat(depth)}${']'.repeat(depth)}\n`);
    expect(r.e).toBe(EINVAL);
    expect(r.report).toBe('g.cfg:1: config parsing error near `[\': memory exhausted\n');
  });
});

describe('typed getters', () => {
  const cfgOf = (text: string): { cfg: XLU_Config; warnings: () => string } => {
    const r = parse(text);
    expect(r.e).toBe(0);
    let w = '';
    r.cfg.report = (s) => (w += s);
    return { cfg: r.cfg, warnings: () => w };
  };

  it('xlu_cfg_get_string: ESRCH when missing, EINVAL and a warning for a list', () => {
    const { cfg, warnings } = cfgOf('s="x"\nl=[1]\n');
    expect(xlu_cfg_get_string(cfg, 's')).toEqual({ e: 0, value: 'x' });
    expect(xlu_cfg_get_string(cfg, 'missing')).toEqual({ e: ESRCH });
    expect(xlu_cfg_get_string(cfg, 'l')).toEqual({ e: EINVAL });
    expect(warnings()).toBe("g.cfg:2: warning: parameter `l' is a list but should be a single value\n");
    expect(xlu_cfg_get_string(cfg, 'l', true)).toEqual({ e: EINVAL });
    expect(warnings()).toBe("g.cfg:2: warning: parameter `l' is a list but should be a single value\n");
  });

  it('xlu_cfg_get_long: strtol base 0 (octal, hex, signs in strings), junk, overflow, +=', () => {
    const { cfg, warnings } = cfgOf('d=42\no=010\nh=0x1f\nneg="-5"\nsp=" 7"\nj="12k"\ne=""\nbig="9223372036854775808"\nadd+="1"\nl=[1]\n');
    expect(xlu_cfg_get_long(cfg, 'd')).toEqual({ e: 0, value: 42 });
    expect(xlu_cfg_get_long(cfg, 'o')).toEqual({ e: 0, value: 8 });
    expect(xlu_cfg_get_long(cfg, 'h')).toEqual({ e: 0, value: 31 });
    expect(xlu_cfg_get_long(cfg, 'neg')).toEqual({ e: 0, value: -5 });
    expect(xlu_cfg_get_long(cfg, 'sp')).toEqual({ e: 0, value: 7 });
    expect(xlu_cfg_get_long(cfg, 'j')).toEqual({ e: EINVAL });
    expect(xlu_cfg_get_long(cfg, 'e')).toEqual({ e: EINVAL });
    expect(xlu_cfg_get_long(cfg, 'big')).toEqual({ e: ERANGE });
    expect(xlu_cfg_get_long(cfg, 'add')).toEqual({ e: EINVAL });
    expect(xlu_cfg_get_long(cfg, 'missing')).toEqual({ e: ESRCH });
    expect(warnings()).toBe(
      "g.cfg:6: warning: parameter `j' is not a valid number\n" +
        "g.cfg:7: warning: parameter `e' is not a valid number\n" +
        "g.cfg:8: warning: parameter `big' could not be parsed as a number: Numerical result out of range\n" +
        "g.cfg:9: warning: can't use += with numbers for parameter `add'\n",
    );
  });

  it('octal 08 is not a valid number', () => {
    const { cfg } = cfgOf('x=08\n');
    expect(xlu_cfg_get_long(cfg, 'x', true)).toEqual({ e: EINVAL });
  });

  it('xlu_cfg_get_bounded_long: bound warnings', () => {
    const { cfg, warnings } = cfgOf('a=5\nb=500\n');
    expect(xlu_cfg_get_bounded_long(cfg, 'a', 10n, 100n)).toEqual({ e: EINVAL });
    expect(xlu_cfg_get_bounded_long(cfg, 'b', 10n, 100n)).toEqual({ e: EINVAL });
    expect(xlu_cfg_get_bounded_long(cfg, 'a', 0n, 100n)).toEqual({ e: 0, value: 5 });
    expect(warnings()).toBe("g.cfg:1: warning: value `5' is smaller than minimum bound '10'\ng.cfg:2: warning: value `500' is greater than maximum bound '100'\n");
  });

  it('xlu_cfg_get_defbool: non-zero is true', () => {
    const { cfg } = cfgOf('t=2\nf=0\n');
    expect(xlu_cfg_get_defbool(cfg, 't')).toEqual({ e: 0, value: true });
    expect(xlu_cfg_get_defbool(cfg, 'f')).toEqual({ e: 0, value: false });
    expect(xlu_cfg_get_defbool(cfg, 'x')).toEqual({ e: ESRCH });
  });

  it('xlu_cfg_get_list and list items', () => {
    const { cfg, warnings } = cfgOf('l=["a",["b"],"c"]\ns="x"\n');
    const l = xlu_cfg_get_list(cfg, 'l');
    expect(l.e).toBe(0);
    if (!('value' in l)) throw new Error('no list');
    expect(l.value.values).toHaveLength(3);
    expect(xlu_cfg_get_listitem(l.value, 0)).toBe('a');
    expect(xlu_cfg_get_listitem(l.value, 1)).toBeNull();
    expect(xlu_cfg_get_listitem(l.value, 3)).toBeNull();
    expect(xlu_cfg_get_listitem(l.value, -1)).toBeNull();
    const sub = xlu_cfg_get_listitem2(l.value, 1)!;
    expect(xlu_cfg_value_get_list(cfg, sub)?.values).toHaveLength(1);
    expect(xlu_cfg_value_get_string(cfg, sub)).toBeNull();
    expect(xlu_cfg_value_get_list(cfg, xlu_cfg_get_listitem2(l.value, 0)!)).toBeNull();
    expect(xlu_cfg_get_list(cfg, 's')).toEqual({ e: EINVAL });
    expect(xlu_cfg_get_list(cfg, 'none')).toEqual({ e: ESRCH });
    expect(warnings()).toBe("g.cfg:1:1: warning: value is not a string\ng.cfg:1:1: warning: value is not a list\ng.cfg:2: warning: parameter `s' is a single value but should be a list\n");
  });
});
