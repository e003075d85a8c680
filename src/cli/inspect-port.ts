/** The Stately inspector relay's port when `--inspect` names none (the library's own default). */
export const DEFAULT_INSPECT_PORT = 8080;

/** `--inspect` absent, bare (`true`) or with a port. */
export function inspectPort(flag: number | true | undefined): number | undefined {
  return flag === undefined ? undefined : flag === true ? DEFAULT_INSPECT_PORT : flag;
}
