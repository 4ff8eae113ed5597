// The boot storm's picture (cli/storm/svg.ts, output.ts), checked structurally with a tiny
// tag walk: one bar per node, one segment per domain with pages on it, spilled segments
// marked and hatched, and per-domain totals that match the JSON rows.
import { describe, expect, it } from 'vitest';
import { stormJson, stormSvgInput, type StormOutputInput } from '../cli/storm/output.js';
import { domainRow, summarize, type VmRow } from '../cli/storm/report.js';
import { renderHtml, renderSvg } from '../cli/storm/svg.js';

interface Tag {
  name: string;
  attrs: Record<string, string>;
  /** The enclosing tags, outermost first. */
  parents: Tag[];
}

/** Every start tag of a (simple, well-formed) XML document with its attributes and ancestors; throws on unbalanced tags. */
function walk(xml: string): Tag[] {
  const out: Tag[] = [];
  const stack: Tag[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const [, close, name, attrText, selfClose] = m;
    if (close === '/') {
      const top = stack.pop();
      if (top?.name !== name) throw new Error(`unbalanced </${name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
    const t: Tag = { name: name!, attrs, parents: [...stack] };
    out.push(t);
    if (selfClose !== '/') stack.push(t);
  }
  if (stack.length !== 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  return out;
}

const node = (n: number, size: number, free: number) => ({ node: n, size_pages: size, free_pages: free, cpus: [2 * n, 2 * n + 1] });

function vm(name: string, domid: number, node_pages: number[], intended: number | null): VmRow {
  return { ...domainRow({ domid, name, tot_pages: 0, node_pages, affinity_node: null }, node_pages.length, intended), memory_mib: 600, vcpus: 1, error: null };
}

/** Three nodes; dom0 on node 1; a VM spilled from node 1 onto node 0; a failed VM; a VM with no intended node. */
function sample(): StormOutputInput {
  const vms: VmRow[] = [
    vm('storm-1', 5, [153_600, 0, 0], 0),
    vm('storm-2', 6, [40_000, 113_600, 0], 1),
    { ...vm('storm-3', 0, [0, 0, 0], null), domid: null, pages: 0, nodes: [], error: 'Not_enough_memory' },
    vm('storm-4', 7, [0, 1000, 152_600], null),
  ];
  return {
    host: 'test',
    toolstack: 'xenopsd-legacy',
    claims: 'none',
    seed: 1,
    concurrency: 4,
    nodes: [node(0, 524_288, 330_688), node(1, 524_288, 147_432), node(2, 524_288, 371_688)],
    vms,
    others: [{ domid: 0, name: 'Domain-0', node_pages: [0, 262_256, 0] }],
    summary: summarize(vms),
    wall_ms: 12,
    steps: 100,
  };
}

describe('the storm SVG', () => {
  const s = sample();
  const json = stormJson(s) as { vms: VmRow[]; summary: { spilled_pages: number } };
  const svg = renderSvg(stormSvgInput(s));
  const tags = walk(svg);
  const bars = tags.filter((t) => t.name === 'g' && t.attrs.class === 'node');
  const segs = tags.filter((t) => t.name === 'rect' && /^seg( |$)/.test(t.attrs.class ?? ''));
  const segsOf = (n: number): Tag[] => segs.filter((t) => t.parents.some((p) => p === bars[n]));

  it('is one well-formed svg element with a legend', () => {
    expect(tags[0]!.name).toBe('svg');
    expect(tags[0]!.attrs.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(tags.filter((t) => t.name === 'g' && t.attrs.class === 'legend')).toHaveLength(1);
    expect(svg).toContain('spilled off intended node');
  });

  it('one bar per node, in node order, each with its free segment', () => {
    expect(bars.map((b) => Number(b.attrs['data-node']))).toEqual([0, 1, 2]);
    for (const [i, b] of bars.entries()) {
      expect(Number(b.attrs['data-size-pages'])).toBe(s.nodes[i]!.size_pages);
      const free = tags.filter((t) => t.attrs.class === 'free' && t.parents.includes(b));
      expect(free.map((f) => Number(f.attrs['data-pages']))).toEqual([s.nodes[i]!.free_pages]);
    }
  });

  it('one segment per domain with pages on the node, and none for a failed VM', () => {
    expect(segsOf(0).map((t) => Number(t.attrs['data-domid']))).toEqual([5, 6]);
    expect(segsOf(1).map((t) => Number(t.attrs['data-domid']))).toEqual([0, 6, 7]);
    expect(segsOf(2).map((t) => Number(t.attrs['data-domid']))).toEqual([7]);
    for (const t of segs) expect(Number(t.attrs['data-pages'])).toBeGreaterThan(0);
  });

  it('spilled segments are marked and hatched: exactly the pages off a VM\'s intended node', () => {
    const spilled = segs.filter((t) => t.attrs['data-spilled'] === '1');
    expect(spilled.map((t) => [t.attrs['data-domid'], t.attrs['data-node']])).toEqual([['6', '0']]);
    expect(spilled[0]!.attrs.class).toBe('seg spilled');
    expect(tags.filter((t) => t.attrs.class === 'hatch' && t.attrs.fill === 'url(#spill)')).toHaveLength(1);
    // No intended node (storm-4, dom0): nothing marked although they span nodes.
    expect(segs.filter((t) => t.attrs['data-domid'] === '7').every((t) => t.attrs['data-spilled'] === '0')).toBe(true);
    const spilledPages = spilled.reduce((a, t) => a + Number(t.attrs['data-pages']), 0);
    expect(spilledPages).toBe(json.summary.spilled_pages);
  });

  it('per-domain totals match the JSON rows; widths are proportional to pages', () => {
    for (const v of json.vms.filter((r) => r.error === null)) {
      const mine = segs.filter((t) => Number(t.attrs['data-domid']) === v.domid);
      expect(mine.reduce((a, t) => a + Number(t.attrs['data-pages']), 0)).toBe(v.pages);
      for (const t of mine) expect(Number(t.attrs['data-pages'])).toBe(v.node_pages[Number(t.attrs['data-node'])]);
    }
    const seg = segsOf(0)[0]!;
    expect(Number(seg.attrs.width)).toBeCloseTo((900 * 153_600) / 524_288, 1);
    // The segments and the free part of a bar fill at most the bar.
    for (const [i, b] of bars.entries()) {
      const w = tags.filter((t) => t.parents.includes(b) && (t.attrs.class === 'free' || /^seg/.test(t.attrs.class ?? ''))).reduce((a, t) => a + Number(t.attrs.width), 0);
      expect(w).toBeLessThanOrEqual(900 + 0.05 * (i + 4));
    }
  });

  it('names are escaped, and the HTML page embeds the SVG', () => {
    const odd = sample();
    odd.vms[0] = { ...odd.vms[0]!, name: 'a<b>&"c' };
    const text = renderSvg(stormSvgInput(odd));
    expect(() => walk(text)).not.toThrow();
    expect(text).toContain('a&lt;b&gt;&amp;&quot;c');
    const html = renderHtml('t <x>', text, 'summary & more');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(text);
    expect(html).toContain('<title>t &lt;x&gt;</title>');
    expect(html).toContain('summary &amp; more');
  });
});
