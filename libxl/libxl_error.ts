// libxl's error model (tools/libs/light/libxl_types.idl: libxl_error). Where C libxl returns
// an ERROR_* code or NULL, the port throws a LibxlError carrying that code; values are
// returned directly. Chosen once for the whole layer.
export const LIBXL_ERROR = {
  ERROR_NONSPECIFIC: -1,
  ERROR_VERSION: -2,
  ERROR_FAIL: -3,
  ERROR_NI: -4,
  ERROR_NOMEM: -5,
  ERROR_INVAL: -6,
  ERROR_BADFAIL: -7,
  ERROR_VNUMA_CONFIG_INVALID: -20,
  ERROR_NOTFOUND: -23,
  ERROR_DOMAIN_NOTFOUND: -21,
} as const;

export type LibxlErrorName = keyof typeof LIBXL_ERROR;

export class LibxlError extends Error {
  override readonly name = 'LibxlError';
  readonly rc: number;
  readonly code: LibxlErrorName;

  constructor(code: LibxlErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.rc = LIBXL_ERROR[code];
  }
}

/** A libxc failure surfaces from libxl as ERROR_FAIL with libxl's log text; the XenError is its cause. */
export async function xcOrFail<T>(what: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw new LibxlError('ERROR_FAIL', what, { cause: e });
  }
}
