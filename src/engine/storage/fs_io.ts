/**
 * File operations of the storage layer: atomic chunk writes (temporary name, then rename,
 * with fsync under `storage.sync full`), sortable file names, and moving bad files aside.
 */

/** `storage.sync`: `normal` leaves flushing to the OS, `full` fsyncs every chunk file. */
export type SyncMode = "normal" | "full";

/** The suffix of a complete chunk file. */
export const CHUNK_SUFFIX = ".flb";
/** The suffix of a chunk file being written; left over only by a crash, never read. */
export const PARTIAL_SUFFIX = ".flb.tmp";

let sequence = 0;

/**
 * A new chunk file name that sorts after every name made before it, in this process and
 * in earlier ones: `<epoch ms>-<pid>-<sequence>.flb`.
 */
export function chunkFileName(now = Date.now()): string {
  sequence = (sequence + 1) % 1e9;
  return `${String(now).padStart(14, "0")}-${Deno.pid}-${String(sequence).padStart(9, "0")}` +
    CHUNK_SUFFIX;
}

/** A name safe to use as one path component (instance names, tags). */
export function safeName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, "_");
  return s === "" || s === "." || s === ".." ? "_" : s.slice(0, 120);
}

/**
 * Writes `bytes` to `dir/name` so that the name appears only once the content is complete:
 * a crash leaves at most a `.flb.tmp` file. With `full`, the data and the rename are fsynced.
 */
export async function writeFileAtomic(
  dir: string,
  name: string,
  bytes: Uint8Array,
  sync: SyncMode,
): Promise<void> {
  const final = `${dir}/${name}`;
  const partial = final.replace(/\.flb$/, "") + PARTIAL_SUFFIX;
  const file = await Deno.open(partial, { write: true, create: true, truncate: true });
  try {
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    if (sync === "full") await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(partial, final);
  if (sync === "full") await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await Deno.open(dir);
    try {
      await d.sync();
    } finally {
      d.close();
    }
  } catch {
    // Some filesystems cannot fsync a directory; the file itself is synced.
  }
}

/** Removes a file, ignoring one that is already gone. */
export async function removeFile(path: string): Promise<void> {
  try {
    await Deno.remove(path);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/** Moves `path` into `dir` (created when missing) under `prefix + its name`; returns the new path. */
export async function moveAside(path: string, dir: string, prefix = ""): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const target = `${dir}/${prefix}${path.slice(path.lastIndexOf("/") + 1)}`;
  await Deno.rename(path, target);
  return target;
}

/** Reads up to `max` bytes from the start of a file. */
export async function readPrefix(path: string, max: number): Promise<Uint8Array> {
  const file = await Deno.open(path);
  try {
    const buf = new Uint8Array(max);
    let off = 0;
    while (off < max) {
      const n = await file.read(buf.subarray(off));
      if (n === null) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    file.close();
  }
}
