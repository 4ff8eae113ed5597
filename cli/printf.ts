// The few printf conversions xl's output uses, so formats read like the C they port.

/** %<w>d / %<w>u / %<w>s: right-aligned in `w` columns. */
export const rpad = (v: number | bigint | string, w: number): string => String(v).padStart(w);
/** %-<w>s: left-aligned. */
export const lpad = (v: string, w: number): string => v.padEnd(w);
/** %08x */
export const hex08 = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
