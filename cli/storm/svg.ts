// The locality picture: one horizontal bar per NUMA node, its memory stacked by domain, pages
// spilled off a VM's intended node hatched, free memory grey, with a legend. Pure: data in, text out.
// Every segment carries data-* attributes (node, domid, pages, spilled) so it can be checked.
import { mib } from './report.js';

export interface SvgNode {
  node: number;
  size_pages: number;
  free_pages: number;
}

export interface SvgDomain {
  domid: number;
  name: string;
  node_pages: readonly number[];
  /** The node it was meant for; pages elsewhere are drawn hatched. Null: nothing is marked. */
  intended_node: number | null;
  /** Storm VMs get a colour each; other domains (dom0, earlier VMs) are drawn in dark grey. */
  kind: 'vm' | 'other';
}

export interface SvgInput {
  title: string;
  subtitle: string;
  nodes: readonly SvgNode[];
  domains: readonly SvgDomain[];
}

const BAR_W = 900;
const BAR_H = 34;
const LABEL_W = 90;
const TOP = 64;
const GAP = 18;
const LEGEND_COLS = 6;
const LEGEND_ROW = 18;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A distinct hue per VM (golden-angle steps), stable for a given index. */
function colourOf(index: number): string {
  return `hsl(${Math.round((index * 137.508) % 360)}, 62%, 58%)`;
}

/** The SVG document. Segment widths are proportional to pages over the node's size. */
export function renderSvg(input: SvgInput): string {
  const colour = new Map<number, string>();
  input.domains.filter((d) => d.kind === 'vm').forEach((d, i) => colour.set(d.domid, colourOf(i)));
  const fill = (d: SvgDomain): string => colour.get(d.domid) ?? '#555';
  const barsH = input.nodes.length * (BAR_H + GAP);
  const legendItems = input.domains.length + 3;
  const legendTop = TOP + barsH + 16;
  const height = legendTop + Math.ceil(legendItems / LEGEND_COLS) * LEGEND_ROW + 20;
  const width = LABEL_W + BAR_W + 40;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`);
  out.push('<defs><pattern id="spill" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff" fill-opacity="0.15"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b00" stroke-width="3"/></pattern></defs>');
  out.push(`<text x="10" y="22" font-size="16" font-weight="bold">${esc(input.title)}</text>`);
  out.push(`<text x="10" y="42" fill="#444">${esc(input.subtitle)}</text>`);
  for (const [row, n] of input.nodes.entries()) {
    const y = TOP + row * (BAR_H + GAP);
    const scale = n.size_pages > 0 ? BAR_W / n.size_pages : 0;
    out.push(`<g class="node" data-node="${n.node}" data-size-pages="${n.size_pages}" data-free-pages="${n.free_pages}">`);
    out.push(`<text x="10" y="${y + BAR_H / 2 + 4}">node ${n.node}</text>`);
    out.push(`<rect class="frame" x="${LABEL_W}" y="${y}" width="${BAR_W}" height="${BAR_H}" fill="#eee" stroke="#999"/>`);
    let x = LABEL_W;
    for (const d of input.domains) {
      const pages = d.node_pages[n.node] ?? 0;
      if (pages <= 0) continue;
      const w = pages * scale;
      const spilled = d.intended_node !== null && d.intended_node !== n.node;
      const tip = `${d.name} (domid ${d.domid}): ${mib(pages)} MiB on node ${n.node}${spilled ? `, spilled off node ${d.intended_node}` : ''}`;
      out.push(
        `<rect class="seg${spilled ? ' spilled' : ''}" data-node="${n.node}" data-domid="${d.domid}" data-pages="${pages}" data-spilled="${spilled ? 1 : 0}" x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${BAR_H}" fill="${fill(d)}" stroke="#fff" stroke-width="0.5"><title>${esc(tip)}</title></rect>`,
      );
      if (spilled) out.push(`<rect class="hatch" x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${BAR_H}" fill="url(#spill)" pointer-events="none"/>`);
      x += w;
    }
    const freeW = n.free_pages * scale;
    out.push(`<rect class="free" data-node="${n.node}" data-pages="${n.free_pages}" x="${x.toFixed(2)}" y="${y}" width="${freeW.toFixed(2)}" height="${BAR_H}" fill="#ddd"><title>free: ${mib(n.free_pages)} MiB</title></rect>`);
    out.push(`<text x="${LABEL_W + BAR_W + 6}" y="${y + BAR_H / 2 + 4}" fill="#444" font-size="10">${Math.round(((n.size_pages - n.free_pages) / Math.max(1, n.size_pages)) * 100)}%</text>`);
    out.push('</g>');
  }
  const items: string[] = [];
  const legendItem = (i: number, swatch: string, label: string): string => {
    const x = 10 + (i % LEGEND_COLS) * ((width - 20) / LEGEND_COLS);
    const y = legendTop + Math.floor(i / LEGEND_COLS) * LEGEND_ROW;
    return `<g class="legend-item">${swatch.replace(/X/g, x.toFixed(1)).replace(/Y/g, String(y))}<text x="${(x + 16).toFixed(1)}" y="${y + 10}">${esc(label)}</text></g>`;
  };
  items.push(legendItem(0, '<rect x="X" y="Y" width="12" height="12" fill="#ddd" stroke="#999"/>', 'free'));
  items.push(legendItem(1, '<rect x="X" y="Y" width="12" height="12" fill="#888"/><rect x="X" y="Y" width="12" height="12" fill="url(#spill)"/>', 'spilled off intended node'));
  items.push(legendItem(2, '<rect x="X" y="Y" width="12" height="12" fill="#555"/>', 'other domains (dom0, ...)'));
  input.domains
    .filter((d) => d.kind === 'vm')
    .forEach((d, i) => items.push(legendItem(3 + i, `<rect x="X" y="Y" width="12" height="12" fill="${fill(d)}"/>`, `${d.name}${d.intended_node === null ? '' : ` → node ${d.intended_node}`}`)));
  out.push(`<g class="legend">${items.join('')}</g>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A small self-contained HTML page around the SVG and a text summary. */
export function renderHtml(title: string, svg: string, summary: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<style>body{font-family:sans-serif;margin:2em;color:#222}pre{background:#f6f6f6;padding:1em;overflow:auto}</style>',
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    svg,
    `<pre>${esc(summary)}</pre>`,
    '<p>Each bar is one NUMA node, stacked by domain; hatched segments are pages a VM has off the node its toolstack meant it for; grey is free memory. Hover a segment for its domain and size.</p>',
    '</body></html>',
    '',
  ].join('\n');
}
