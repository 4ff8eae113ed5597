// Where the server listens and what both ends agree on: the wire's own constants.

export const DEFAULT_PORT = 9876;
export const DEFAULT_ADDRESS = `127.0.0.1:${DEFAULT_PORT}`;
/** Clients find the server through --address or this variable. */
export const ADDRESS_ENV = 'XENEMU_ADDRESS';

/** Largest message either end accepts: a populate_physmap of 1 GiB of 4 KiB pages (262144
 *  GPFNs, ~2 MiB as varints) with room for batching. Larger is RESOURCE_EXHAUSTED. */
export const MAX_MESSAGE_BYTES = 16 << 20;

/** Every call gets a deadline, so a stuck server is noticed; the engine answers any single
 *  hypercall in far less (docs/architecture.md, "Deadlines"). */
export const CALL_DEADLINE_MS = 30_000;

/**
 * Request metadata naming the domain a request is made as (decimal domid). Absent: the control
 * domain (dom0), as a toolstack in dom0 calls. The claim is not authenticated: any client that
 * can reach the server may claim any domain (docs/architecture.md, "Privilege").
 */
export const CALLER_METADATA_KEY = 'xen-caller-domid';
