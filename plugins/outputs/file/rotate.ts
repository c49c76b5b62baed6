/**
 * Size-based rotation of the file output, as Fluent Bit 5.1's `out_file` does it: the
 * full file is renamed to `<file>.<YYYYMMDD_HHMMSS>_<8 hex>` (local time), gzipped to
 * `<that>.gz` when `rotate_gzip` is on, and only the newest `rotate_max_files` rotated
 * files are kept (oldest by modification time removed first).
 */

/** Rotation settings. */
export interface RotateOptions {
  maxFiles: number;
  gzip: boolean;
  /** The current time; injectable for tests. */
  now?: () => Date;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** The rotated-name suffix `YYYYMMDD_HHMMSS_xxxxxxxx` for `d` (local time) and random hex. */
export function rotationSuffix(d: Date): string {
  const rnd = crypto.getRandomValues(new Uint8Array(4));
  const hex = Array.from(rnd, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}_` +
    `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}_${hex}`;
}

const SUFFIX = /^\d{8}_\d{6}(_[0-9a-fA-F]{8})?(\.gz)?$/;

/** True when `name` is `base` plus a rotation suffix (with or without the random part). */
export function isRotatedName(name: string, base: string): boolean {
  return name.startsWith(base + ".") && SUFFIX.test(name.slice(base.length + 1));
}

function split(path: string): { dir: string; base: string } {
  const at = path.lastIndexOf("/");
  return at === -1
    ? { dir: ".", base: path }
    : { dir: at === 0 ? "/" : path.slice(0, at), base: path.slice(at + 1) };
}

async function gzipFile(src: string, dst: string): Promise<void> {
  const input = await Deno.open(src, { read: true });
  const output = await Deno.open(dst, { write: true, create: true, truncate: true });
  try {
    await input.readable.pipeThrough(new CompressionStream("gzip")).pipeTo(output.writable);
  } catch (e) {
    await Deno.remove(dst).catch(() => {});
    throw e;
  }
}

async function trim(path: string, maxFiles: number): Promise<string[]> {
  const { dir, base } = split(path);
  const found: { path: string; mtime: number }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !isRotatedName(entry.name, base)) continue;
    const full = `${dir}/${entry.name}`;
    const st = await Deno.stat(full).catch(() => null);
    if (st) found.push({ path: full, mtime: st.mtime?.getTime() ?? 0 });
  }
  if (found.length <= maxFiles) return [];
  found.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const removed: string[] = [];
  for (const f of found.slice(0, found.length - maxFiles)) {
    await Deno.remove(f.path).then(() => removed.push(f.path), () => {});
  }
  return removed;
}

/** What a rotation did. */
export interface RotateResult {
  /** The rotated file's final name (`.gz` when compressed). */
  rotated: string;
  /** Old rotated files removed to keep `maxFiles`. */
  removed: string[];
  /** Why gzip failed, when it did; the uncompressed file is kept, as Fluent Bit does. */
  gzipError?: unknown;
}

/** Rotates the (closed) file at `path`: rename, optional gzip, then trim old rotations. */
export async function rotateFile(path: string, options: RotateOptions): Promise<RotateResult> {
  const rotated = `${path}.${rotationSuffix((options.now ?? (() => new Date()))())}`;
  await Deno.rename(path, rotated);
  const result: RotateResult = { rotated, removed: [] };
  if (options.gzip) {
    try {
      await gzipFile(rotated, rotated + ".gz");
      await Deno.remove(rotated);
      result.rotated = rotated + ".gz";
    } catch (e) {
      result.gzipError = e;
    }
  }
  result.removed = await trim(path, options.maxFiles);
  return result;
}
