// One RSS sample for bench/memory.bench.ts, in a process of its own (run with --expose-gc):
//   node --expose-gc bin/run-ts.js bench/memory_rss.ts baseline|<preset>
// Both modes import exactly the same modules; `baseline` then boots nothing, a preset name
// boots that host (new Xen, nothing else) and keeps it referenced. After repeated full GCs it
// prints one JSON line: {mode, rss_bytes, heap_used_bytes, external_bytes, array_buffers_bytes,
// boot_ms}. Idle host cost = host sample - baseline sample.
import { setImmediate as tick } from 'node:timers/promises';
import { presetTopology } from '../hypervisor/presets.js';
import { Xen } from '../hypervisor/xen.js';

/** Full collections before sampling: V8 needs more than one to free weak and old-space garbage. */
const GC_PASSES = 4;

const mode = process.argv[2];
if (mode === undefined) throw new Error('usage: memory_rss.ts baseline|<preset>');
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('memory_rss.ts needs node --expose-gc');

let host: Xen | undefined;
let boot_ms = 0;
if (mode !== 'baseline') {
  const topology = presetTopology(mode);
  if (topology === undefined) throw new Error(`no preset ${mode}`);
  const t0 = performance.now();
  host = new Xen({ topology });
  boot_ms = performance.now() - t0;
}
for (let i = 0; i < GC_PASSES; i++) {
  gc();
  await tick();
}
const m = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    mode,
    rss_bytes: m.rss,
    heap_used_bytes: m.heapUsed,
    external_bytes: m.external,
    array_buffers_bytes: m.arrayBuffers,
    boot_ms,
    free_blocks: host?.heap.free_blocks ?? 0,
  })}\n`,
);
