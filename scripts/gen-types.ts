// Regenerates proto/generated from the .proto files, or with --check fails when the committed
// copy is stale. Usage: npm run gen | npm run gen:check
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, cpSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GEN_TYPES_FLAGS, PROTO_FILES, PROTO_ROOT } from '../proto/loader.js';

const OUT = path.join(PROTO_ROOT, 'generated');
const check = process.argv.includes('--check');

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
  });
}

const tmp = mkdtempSync(path.join(tmpdir(), 'xenemu-gen-'));
try {
  const bin = path.join(PROTO_ROOT, '..', 'node_modules', '@grpc', 'proto-loader', 'build', 'bin', 'proto-loader-gen-types.js');
  execFileSync(process.execPath, [bin, ...GEN_TYPES_FLAGS, '-I', PROTO_ROOT, '-O', tmp, ...PROTO_FILES], { stdio: 'inherit' });
  // The generator writes absolute paths into headers; make them relative so any clone agrees.
  for (const f of listFiles(tmp)) {
    const p = path.join(tmp, f);
    writeFileSync(p, readFileSync(p, 'utf8').split(`${PROTO_ROOT}/`).join('proto/'));
  }
  if (!check) {
    rmSync(OUT, { recursive: true, force: true });
    cpSync(tmp, OUT, { recursive: true });
    console.log(`generated ${listFiles(OUT).length} files in ${path.relative(process.cwd(), OUT)}`);
  } else {
    const fresh = listFiles(tmp).sort();
    const committed = (() => { try { return listFiles(OUT).sort(); } catch { return []; } })();
    const stale = fresh.filter((f) => !committed.includes(f) || readFileSync(path.join(tmp, f), 'utf8') !== readFileSync(path.join(OUT, f), 'utf8'));
    const extra = committed.filter((f) => !fresh.includes(f));
    if (stale.length > 0 || extra.length > 0) {
      console.error(`proto/generated is stale (${[...stale, ...extra].join(', ')}): run 'npm run gen'`);
      process.exit(1);
    }
    console.log(`proto/generated is up to date (${fresh.length} files)`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
