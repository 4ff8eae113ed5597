// Node permissions (xenstore_lib.h, xenstore-common.h and perm_for_conn in core.c). The first
// entry names the owner and what every other domain may do; later entries grant per domain.
import { DOMID_ANY, XS_PERM_IGNORE, XS_PERM_NONE, XS_PERM_OWNER, XS_PERM_READ, XS_PERM_WRITE } from './xs_wire.js';
import { domid_is_unprivileged } from './xenstored_domain.js';

/** struct xs_permissions. */
export interface xs_permissions {
  id: number;
  perms: number;
}

/** strtol(p, &end, 0) over the whole rest of the string: decimal, 0x hex or 0 octal. */
function strtol0(text: string): number | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (m === null) return undefined;
  const body = m[2]!;
  const v = body.startsWith('0x') || body.startsWith('0X') ? parseInt(body.slice(2), 16) : body.length > 1 && body.startsWith('0') ? parseInt(body, 8) : Number(body);
  const signed = m[1] === '-' ? -v : v;
  // Stored as unsigned int, as the C struct does.
  return signed >>> 0;
}

/** Port of xenstore_strings_to_perms: "r5", "w0", "b7", "n0"; undefined = EINVAL. */
export function xenstore_strings_to_perms(strings: readonly string[]): xs_permissions[] | undefined {
  const out: xs_permissions[] = [];
  for (const s of strings) {
    let perms: number;
    switch (s[0]) {
      case 'r':
        perms = XS_PERM_READ;
        break;
      case 'w':
        perms = XS_PERM_WRITE;
        break;
      case 'b':
        perms = XS_PERM_READ | XS_PERM_WRITE;
        break;
      case 'n':
        perms = XS_PERM_NONE;
        break;
      default:
        return undefined;
    }
    const id = strtol0(s.slice(1));
    if (id === undefined) return undefined;
    out.push({ id, perms });
  }
  return out;
}

/** Port of xenstore_perm_to_string; undefined for a combination with no letter. */
export function xenstore_perm_to_string(p: xs_permissions): string | undefined {
  const letter = ({ [XS_PERM_WRITE]: 'w', [XS_PERM_READ]: 'r', [XS_PERM_READ | XS_PERM_WRITE]: 'b', [XS_PERM_NONE]: 'n' } as Record<number, string>)[p.perms & ~XS_PERM_IGNORE];
  return letter === undefined ? undefined : `${letter}${p.id | 0}`;
}

/** perm_allows_conn (no XS_SET_TARGET: a connection acts for its own domain only). */
function perm_allows(domid: number, p: xs_permissions): boolean {
  return p.id === domid || p.id === DOMID_ANY;
}

/** Port of perm_for_conn: owners and the privileged domain get everything. */
export function perm_for_conn(domid: number, perms: readonly xs_permissions[]): number {
  const all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
  const first = perms[0];
  if (!domid_is_unprivileged(domid) || (first !== undefined && perm_allows(domid, first))) return all;
  for (const p of perms.slice(1)) {
    if ((p.perms & XS_PERM_IGNORE) === 0 && perm_allows(domid, p)) return p.perms & all;
  }
  return (first?.perms ?? XS_PERM_NONE) & all;
}
