/**
 * statvfs(3) through libc, run on a worker thread (`nonblocking`), so a hung network mount
 * delays only the filesystem collector. Without FFI (no `--allow-ffi`, or no glibc), it is
 * unavailable and the collector says so once.
 */

/** The fields of struct statvfs the filesystem collector needs. */
export interface FsStats {
  /** Block size (f_bsize), as node_exporter and Fluent Bit multiply by. */
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  /** ST_RDONLY is set in f_flag. */
  readonly: boolean;
}

const STRUCT_BYTES = 112; // x86_64 / aarch64 glibc: 11 unsigned longs + 6 ints of spare
const ST_RDONLY = 1n;

type Lib = { symbols: { statvfs: (path: Uint8Array, buf: Uint8Array) => Promise<number> } };
let lib: Lib | null | undefined;
let why = "";

function open(): Lib | null {
  if (lib !== undefined) return lib;
  try {
    lib = Deno.dlopen("libc.so.6", {
      statvfs: { parameters: ["buffer", "buffer"], result: "i32", nonblocking: true },
    }) as unknown as Lib;
  } catch (e) {
    why = (e as Error).message;
    lib = null;
  }
  return lib;
}

/** Why statvfs is unavailable, or "" when it is. */
export function statvfsUnavailable(): string {
  return open() ? "" : why;
}

/** statvfs of `path`, or null when the call fails (or FFI is unavailable). */
export async function statvfs(path: string): Promise<FsStats | null> {
  const l = open();
  if (!l) return null;
  const buf = new Uint8Array(STRUCT_BYTES);
  const rc = await l.symbols.statvfs(new TextEncoder().encode(path + "\0"), buf);
  if (rc !== 0) return null;
  const v = new DataView(buf.buffer);
  const u = (i: number) => Number(v.getBigUint64(i * 8, true));
  return {
    bsize: u(0),
    blocks: u(2),
    bfree: u(3),
    bavail: u(4),
    files: u(5),
    ffree: u(6),
    readonly: (v.getBigUint64(9 * 8, true) & ST_RDONLY) !== 0n,
  };
}
