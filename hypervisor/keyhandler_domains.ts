// Debug key 'q' (xen/common/keyhandler.c: dump_domains) with the x86 helpers it calls:
// arch_dump_domain_info / arch_dump_vcpu_info (xen/arch/x86/domain.c -> mm/paging.c),
// rangeset_domain_printk (xen/common/rangeset.c), dump_pageframe_info (xen/arch/x86/domain.c).
// Baseline: master c447b7308b, x86-64 defconfig (no MEM_SHARING, MEM_PAGING, LLC_COLORING).
// Where the emulator has no model of a field, the value is what an idle host shows, and the
// line says so.
import { Bitmap } from './bitmap.js';
import type { Domain, Vcpu } from './domain.js';
import { PADDR_BITS } from './host.js';
import type { Xen } from './xen.js';

type Printk = (line: string) => void;

/** Xen's %*pbl: set bits as comma-separated decimal runs, "0-3,5"; empty for no bits. */
export function bitmap_list(m: Bitmap): string {
  const out: string[] = [];
  let lo = -1;
  let hi = -1;
  for (const b of m.bits()) {
    if (b === hi + 1 && lo >= 0) hi = b;
    else {
      if (lo >= 0) out.push(lo === hi ? `${lo}` : `${lo}-${hi}`);
      lo = hi = b;
    }
  }
  if (lo >= 0) out.push(lo === hi ? `${lo}` : `${lo}-${hi}`);
  return out.join(',');
}

/** printk's %0<width>x (and %p, which is %016lx on x86-64). */
const hex = (n: number | bigint, width: number): string => n.toString(16).padStart(width, '0');

/** d->is_dying: DOMDYING_alive, DOMDYING_dying, DOMDYING_dead. */
const DOMDYING = { alive: 0, dying: 1, dead: 2 } as const;

// page_info count_info / type_info bits (xen/arch/x86/include/asm/mm.h), 64-bit longs.
const PGC_allocated = 1n << 63n;
const PGC_xen_heap = 1n << 62n;
const PGT_writable_page = 7n << 61n;
const PGT_validated = 1n << 58n;

/** VMASST_TYPE_writable_pagetables, the one assist a Linux PV kernel enables (xen_pvmmu_arch_setup). */
const VMASST_TYPE_writable_pagetables = 2;
/** VIRQ_DEBUG (xen/include/public/xen.h). */
const VIRQ_DEBUG = 1;
/** VPF_blocked and VPF_down (xen/include/xen/sched.h). */
const VPF_blocked = 1;
const VPF_down = 2;
/** The 100 Hz ticker pv_vcpu_initialise gives every PV vCPU, in ns. */
const PV_DEFAULT_PERIODIC_NS = 10_000_000;
/** dump_pageframe_info lists DomPages only below this many pages. */
const DOMPAGE_LIST_MAX = 10;

/**
 * Xen heap pages shared with a live domain: its shared_info page (arch_domain_create) and the
 * one grant-table frame grant_table_init gives it (INITIAL_NR_GRANT_FRAMES); relinquished when
 * it dies. The emulator models no grant table: its frame number is ours, next to shared_info.
 */
function xenheap_pages(xen: Xen, d: Domain): number[] {
  if (d.is_dying !== 'alive') return [];
  const shared_info = xen.shared_info_frame(d);
  return [shared_info, shared_info + 0x8000];
}

/** A vCPU that has come online has run: the guest booted on it (the emulator has no guest). */
const vcpu_has_run = (v: Vcpu): boolean => v.online;

// --- Rangesets -------------------------------------------------------------------------------

type Range = readonly [number, number];

/** rangeset_remove_range on a sorted list of inclusive ranges. */
function deny(ranges: Range[], s: number, e: number): Range[] {
  return ranges.flatMap(([a, b]): Range[] => {
    if (e < a || s > b) return [[a, b]];
    const keep: Range[] = [];
    if (a < s) keep.push([a, s - 1]);
    if (e < b) keep.push([e + 1, b]);
    return keep;
  });
}

// The dom0 I/O facts of a typical Intel host, which the emulator does not model: no 8259A/PIT
// aliases, the ACPI PM timer at 0x408, COM1 (console=com1) at 0x3f8, one IO-APIC with 24 pins.
const PMTMR_IOPORT = 0x408;
const COM1_IOPORT = 0x3f8;
const LAPIC_MFN = 0xfee00;
const IOAPIC_MFN = 0xfec00;
const NR_IRQS_GSI = 24;

/** dom0_setup_permissions (xen/arch/x86/dom0_build.c) for a PV dom0, then ns16550_endboot. */
function dom0_ioports(): Range[] {
  let r: Range[] = [[0, 0xffff]];
  for (const [s, e] of [
    [0x20, 0x21], [0xa0, 0xa1], [0x4d0, 0x4d1], [0x40, 0x43], [0x61, 0x61], [0x92, 0x92], [0xf0, 0xf0],
    [PMTMR_IOPORT, PMTMR_IOPORT + 3], [0xcf9, 0xcf9], [0xcfc, 0xcff], [COM1_IOPORT, COM1_IOPORT + 7],
  ] as const) r = deny(r, s, e);
  return r;
}

function dom0_iomem(): Range[] {
  // domain_max_paddr_bits of a PV domain is the host's paddr_bits.
  let r: Range[] = [[0, 2 ** (PADDR_BITS - 12) - 1]];
  r = deny(r, LAPIC_MFN, LAPIC_MFN);
  return deny(r, IOAPIC_MFN, IOAPIC_MFN);
}

interface Rangeset {
  name: string;
  hex: boolean;
  ranges: Range[];
}

/**
 * d->rangesets, newest first (rangeset_new adds at the head): "log-dirty" (p2m_init_hostp2m,
 * every x86 domain), "I/O Ports" (arch_domain_create), then "I/O Memory" and "Interrupts"
 * (domain_create). Only dom0 is given I/O: the emulator has no iomem/ioport/irq permission
 * domctls and no ioreq servers, and dom0's MSI IRQs (host-specific) are not listed.
 */
function domain_rangesets(d: Domain): Rangeset[] {
  const dom0 = d.domain_id === 0;
  return [
    { name: 'Interrupts', hex: false, ranges: dom0 ? [[1, NR_IRQS_GSI - 1]] : [] },
    { name: 'I/O Memory', hex: true, ranges: dom0 ? dom0_iomem() : [] },
    { name: 'I/O Ports', hex: true, ranges: dom0 ? dom0_ioports() : [] },
    { name: 'log-dirty', hex: true, ranges: [] },
  ];
}

/** rangeset_printk: "%-10s {", then " s" or " s-e" joined by ",", then " }". */
function rangeset_text(r: Rangeset): string {
  const lim = (n: number): string => (r.hex ? n.toString(16) : `${n}`);
  const items = r.ranges.map(([s, e]) => ` ${lim(s)}${s !== e ? `-${lim(e)}` : ''}`);
  return `${r.name.padEnd(10)} {${items.join(',')} }`;
}

/** rangeset_domain_printk. */
function rangeset_domain_printk(p: Printk, d: Domain): void {
  p(`Rangesets belonging to domain ${d.domain_id}:`);
  for (const r of domain_rangesets(d)) p(`    ${rangeset_text(r)}`);
}

// --- Pages -----------------------------------------------------------------------------------

/** d's frames in node then MFN order (Xen walks page_list, in assignment order). */
function domain_frames(d: Domain, limit: number): number[] {
  const out: number[] = [];
  for (const set of d.owned) {
    // Bound: at most `limit` frames in all.
    for (let x = set.firstIn(0, Number.MAX_SAFE_INTEGER); x >= 0 && out.length < limit; x = set.firstIn(x + 1, Number.MAX_SAFE_INTEGER)) out.push(x);
  }
  return out;
}

/** dump_pageframe_info (x86). */
function dump_pageframe_info(p: Printk, xen: Xen, d: Domain): void {
  p(`Memory pages belonging to domain ${d.domain_id}:`);
  if (d.tot_pages >= DOMPAGE_LIST_MAX && d.is_dying !== 'dead') p('    DomPage list too long to display');
  else {
    // Each page allocated with its one reference; untyped (no PV page-table or HVM use modelled).
    for (const mfn of domain_frames(d, DOMPAGE_LIST_MAX)) p(`    DomPage ${hex(mfn, 16)}: caf=${hex(PGC_allocated | 1n, 8)}, taf=${hex(0, 16)}`);
  }
  if (d.is_hvm) p('    PoD entries=0 cachesize=0'); // p2m_pod_dump_data: PoD is not modelled
  // share_xen_page_with_guest(SHARE_rw): one general and one writable type reference (the
  // guest's own mappings of these pages are not modelled).
  for (const mfn of xenheap_pages(xen, d))
    p(`    XenPage ${hex(mfn, 16)}: caf=${hex(PGC_xen_heap | PGC_allocated | 1n, 8)}, taf=${hex(PGT_writable_page | PGT_validated | 1n, 16)}`);
}

// --- Domains and vCPUs -----------------------------------------------------------------------

/** get_domain holders: domain_create's 1, assign_pages on the first page, the first Xen heap page. */
function refcnt(xen: Xen, d: Domain): number {
  return 1 + (d.tot_pages > 0 ? 1 : 0) + (xenheap_pages(xen, d).length > 0 ? 1 : 0);
}

/** paging_dump_domain_info: an HVM domain has PG_refcounts|PG_translate|PG_external (hvm_domain_initialise). */
function arch_dump_domain_info(p: Printk, d: Domain): void {
  if (d.is_hvm) p(`    paging assistance: ${d.hap ? 'hap' : 'shadow'} refcounts translate external `);
}

/**
 * paging_dump_vcpu_info: before its guest runs an HVM vCPU is in real mode (hap 1 level; shadow
 * 2-on-3); once it runs, a 64-bit guest is in long mode (4 levels). vpmu is off by default.
 */
function arch_dump_vcpu_info(p: Printk, d: Domain, v: Vcpu): void {
  if (!d.is_hvm) return;
  const long = vcpu_has_run(v);
  p(d.hap ? `    paging assistance: hap, ${long ? 4 : 1} levels` : `    paging assistance: shadowed ${long ? '4-on-4' : '2-on-3'}`);
}

/** The per-vCPU body of dump_domains' loop (xen/common/keyhandler.c). */
function dump_vcpu(p: Printk, d: Domain, v: Vcpu): void {
  const ran = vcpu_has_run(v);
  // poll_evtchn and upcall_pending are 0 on an idle guest; the upcall mask is set until the guest
  // runs (dom0 builder / libxc) and clear while it idles with events enabled.
  const dirty = ran ? `dirty_cpu=${v.processor}` : ''; // the lazily switched-out state stays on its pCPU
  p(`    VCPU${v.vcpu_id}: CPU${v.processor} [has=${v.is_running ? 'T' : 'F'}] poll=0 upcall_pend=00 upcall_mask=${ran ? '00' : '01'} ${dirty}`);
  const pause_flags = (v.online ? 0 : VPF_down) | (v.blocked ? VPF_blocked : 0);
  p(`    pause_count=0 pause_flags=${pause_flags.toString(16)}`); // no vcpu_pause outstanding
  arch_dump_vcpu_info(p, d, v);
  // A PV vCPU keeps the default ticker until its (Linux) guest stops it; HVM has none.
  const period_ns = !d.is_hvm && !ran ? PV_DEFAULT_PERIODIC_NS : 0;
  p(period_ns === 0 ? 'No periodic timer' : `${1_000_000_000 / period_ns} Hz periodic timer (period ${period_ns / 1_000_000} ms)`);
}

/** d->dirty_cpumask: the pCPUs holding a vCPU's lazily switched-out state. */
function dirty_cpumask(xen: Xen, d: Domain): Bitmap {
  const m = new Bitmap(xen.host.nr_cpu_ids);
  for (const v of d.vcpu) if (vcpu_has_run(v)) m.set(v.processor);
  return m;
}

/** The per-domain body of dump_domains' first loop (xen/common/keyhandler.c). */
function dump_domain(p: Printk, xen: Xen, d: Domain): void {
  p(`General information for domain ${d.domain_id}:`);
  // domain_kill's domain_pause adds one to the controller's pauses.
  p(`    refcnt=${refcnt(xen, d)} dying=${DOMDYING[d.is_dying]} pause_count=${d.controller_pause_count + (d.is_dying === 'alive' ? 0 : 1)}`);
  p(`    nr_pages=${d.tot_pages} xenheap_pages=${xenheap_pages(xen, d).length} dirty_cpus={${bitmap_list(dirty_cpumask(xen, d))}} max_pages=${d.max_pages}`);
  const h = [...d.handle].map((b) => hex(b, 2)).join('');
  // A booted PV guest has enabled writable page tables; HVM has no assists.
  const vm_assist = !d.is_hvm && d.vcpu.some(vcpu_has_run) ? 1 << VMASST_TYPE_writable_pagetables : 0;
  p(`    handle=${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)} vm_assist=${hex(vm_assist, 8)}`);
  // No watchdog timers (none modelled); x86 has no LLC colouring.
  arch_dump_domain_info(p, d);
  rangeset_domain_printk(p, d);
  dump_pageframe_info(p, xen, d);
  p(`NODE affinity for domain ${d.domain_id}: [${bitmap_list(d.node_affinity)}]`);
  p(`VCPU information and callbacks for domain ${d.domain_id}:`);
  // sched-gran=cpu: one unit per vCPU, unit_id = vcpu_id.
  for (const v of d.vcpu) {
    p(`  UNIT${v.vcpu_id} affinities: hard={${bitmap_list(v.cpu_hard_affinity)}} soft={${bitmap_list(v.cpu_soft_affinity)}}`);
    dump_vcpu(p, d, v);
  }
}

/** Port of dump_domains (key 'q'). */
export function dump_domains(xen: Xen): void {
  const p: Printk = (s) => xen.console.printk(`${s}\n`);
  p(`'q' pressed -> dumping domain info (now = ${xen.clock.now_ns()})`);
  const domains = xen.domains_in_order();
  for (const d of domains) dump_domain(p, xen, d);
  // send_guest_vcpu_virq(VIRQ_DEBUG): no event channels are modelled, so no guest has bound it (port 0).
  for (const d of domains) for (const v of d.vcpu) p(`Notifying guest ${d.domain_id}:${v.vcpu_id} (virq ${VIRQ_DEBUG}, port 0)`);
}
