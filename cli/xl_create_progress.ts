// The progress bar `xl create` draws on stderr while libxl populates guest memory (xenemu's
// stand-in for xentoollog's stdiostream progress lines): on a terminal only, never with -q.
// Redrawn only when the whole percentage changes, so output is bounded at 101 redraws.

const WIDTH = 40;

export interface ProgressBar {
  update(done_pages: number, total_pages: number): void;
  /** Erases the bar's line (before other stderr output and at the end). */
  clear(): void;
}

export function createProgressBar(label: string, write: (s: string) => void, enabled: boolean): ProgressBar {
  let shown = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (!enabled || total <= 0) return;
      const pct = Math.min(100, Math.max(0, Math.floor((done * 100) / total)));
      if (pct === shown) return;
      shown = pct;
      const fill = Math.round((pct * WIDTH) / 100);
      write(`\r${label}: [${'#'.repeat(fill)}${' '.repeat(WIDTH - fill)}] ${String(pct).padStart(3)}%`);
      drawn = true;
    },
    clear() {
      if (!drawn) return;
      write(`\r${' '.repeat(label.length + WIDTH + 9)}\r`);
      drawn = false;
      shown = -1;
    },
  };
}
