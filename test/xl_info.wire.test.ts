// `xl info` and `xl info -n` over the wire, against golden output (tools/xl/xl_info.c:
// print_info, output_physinfo, output_topologyinfo, output_numainfo, output_xeninfo).
// UPDATE_GOLDEN=1 rewrites the files; review the diff before committing.
import { describe, expect, it } from 'vitest';
import { main } from '../cli/xl.js';
import { capture, FIXED_UNAME, golden, useHost, xl } from './harness.js';

for (const preset of ['4node', '8node-amd']) {
  describe(`xl info on the ${preset} preset`, () => {
    const h = useHost(preset);

    it('xl info -n matches the golden output', async () => {
      const r = await xl(h, 'info', '-n');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(golden(`xl-info-n-${preset}.txt`, r.stdout));
    });

    it('xl info matches the golden output', async () => {
      const r = await xl(h, 'info');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(golden(`xl-info-${preset}.txt`, r.stdout));
    });
  });
}

describe('xl info details', () => {
  const h = useHost('4node');

  it('pads every key to 23 characters, in Xen order (output_nodeinfo, output_physinfo, output_xeninfo)', async () => {
    const keys = (await xl(h, 'info')).stdout.split('\n').filter(Boolean).map((l) => l.slice(0, 25));
    expect(keys.every((k) => /^[a-z_]{1,23} *: $/.test(k) && k.length === 25)).toBe(true);
    expect(keys.map((k) => k.split(' ')[0])).toEqual([
      'host', 'release', 'version', 'machine', 'nr_cpus', 'max_cpu_id', 'nr_nodes', 'cores_per_socket',
      'threads_per_core', 'cpu_mhz', 'hw_caps', 'virt_caps', 'total_memory', 'free_memory', 'sharing_freed_memory',
      'sharing_used_memory', 'outstanding_claims', 'free_cpus', 'xen_major', 'xen_minor', 'xen_extra', 'xen_version',
      'xen_caps', 'xen_scheduler', 'xen_pagesize', 'platform_params', 'xen_changeset', 'xen_commandline',
      'cc_compiler', 'cc_compile_by', 'cc_compile_domain', 'cc_compile_date', 'build_id', 'xend_config_format',
    ]);
  });

  it('xl info <name> prints only the value (maybe_printf)', async () => {
    expect((await xl(h, 'info', 'nr_nodes')).stdout).toBe('4\n');
    expect((await xl(h, 'info', 'xen_version')).stdout).toBe('4.22.0\n');
  });

  it('xl info <prefix> prints every line that starts with it, as maybe_printf matches prefixes', async () => {
    // free_memory: 256 GiB less dom0's 4 GiB; free_cpus: Pool-0 holds every CPU.
    expect((await xl(h, 'info', 'free')).stdout).toBe('258047\n0\n'); // MFN 0 is not in the heap
  });

  it('xl info <unknown> prints nothing and exits 0', async () => {
    const r = await xl(h, 'info', 'no_such_key');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('xl info -n ignores a name and prints everything', async () => {
    const r = await xl(h, 'info', '-n', 'nr_nodes');
    expect(r.stdout).toContain('numa_info              :\n');
    expect(r.stdout).toContain('nr_cpus                : 64\n');
  });

  it('xl fails with "cannot init xl context" when no server answers', async () => {
    const c = capture();
    const code = await main(['--address', '127.0.0.1:1', 'info'], { out: c.out, uname: FIXED_UNAME });
    expect(code).toBe(1);
    expect(c.stderr()).toMatch(/^cannot init xl context\n/);
    expect(c.stdout()).toBe('');
  });
});
