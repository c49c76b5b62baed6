/**
 * One followed file: its open handle (kept open through rotation until the file is read
 * to its end), identity, line reader, commit queue and lifecycle state.
 */
import { CommitQueue } from "./commit.ts";
import { codecFor } from "./encoding.ts";
import { fileKey, fingerprint, readHead } from "./fingerprint.ts";
import { LineReader, type LineReaderOptions } from "./line_reader.ts";
import { type ByteSource, gzipSource, isGzipPath, plainSource } from "./source.ts";

/** Where a file is in its life: followed at its path, renamed away, or unlinked. */
export type FileState = "active" | "rotated" | "deleted";

/** How lines are read, minus the codec (chosen per file from its byte order mark). */
export type ReadOptions = Omit<LineReaderOptions, "codec"> & {
  unicode?: string;
  generic?: string;
};

/** A file being read. */
export class TailFile {
  readonly key: string;
  readonly dev: number;
  readonly ino: number;
  /** The path it was found at (the `path_key` value). */
  readonly path: string;
  /** The path records name (`path_key`): where it was found, or the original of a copy. */
  recordPath: string;
  /** Its name now: the path, or where it was rotated to. */
  name: string;
  readonly tag: string;
  readonly gzip: boolean;
  readonly fs: Deno.FsFile;
  readonly src: ByteSource;
  readonly reader: LineReader;
  commits: CommitQueue;
  /** The size last seen (plain files). */
  size: number;
  /** The size at the last head check (the fingerprint is compared when it changes). */
  headSize: number;
  /** Modification time last seen, in ms. */
  mtime: number;
  /** Decompressed end reached (gzip files). */
  ended = false;
  fp: string;
  fpSize: number;
  dbId: number | undefined;
  state: FileState = "active";
  /** When (performance.now) it was last found read to its end; null while data remains. */
  eofAt: number | null = null;
  /** A copy copytruncate left: nothing is appended to it, so it ends at its end. */
  copy = false;
  /** An event said it changed. */
  dirty = true;
  closed = false;

  constructor(init: {
    path: string;
    tag: string;
    fs: Deno.FsFile;
    src: ByteSource;
    reader: LineReader;
    stat: Deno.FileInfo;
    head: Uint8Array;
    start: number;
    gzip: boolean;
  }) {
    this.dev = init.stat.dev;
    this.ino = init.stat.ino ?? 0;
    this.key = fileKey(this.dev, this.ino);
    this.path = init.path;
    this.name = init.path;
    this.recordPath = init.path;
    this.tag = init.tag;
    this.fs = init.fs;
    this.src = init.src;
    this.reader = init.reader;
    this.gzip = init.gzip;
    this.size = init.stat.size;
    this.headSize = init.stat.size;
    this.mtime = init.stat.mtime?.getTime() ?? 0;
    this.fp = fingerprint(init.head);
    this.fpSize = init.head.length;
    this.commits = new CommitQueue(init.start);
  }

  /** True when bytes past the read position may be waiting. */
  get readable(): boolean {
    if (this.closed) return false;
    if (this.gzip) return !this.ended;
    return this.dirty || this.reader.nextOffset < this.size;
  }

  /** Closes the handle; safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.src.close();
    } catch {
      // already gone
    }
    try {
      this.fs.close();
    } catch {
      // already closed
    }
  }
}

/** What `openFile` needs to decide where to start. */
export interface OpenOptions {
  tag: string;
  read: ReadOptions;
  /**
   * Chooses the start offset from the file's identity and head; Infinity means its end
   * (for a gzip file, the end of the decompressed content).
   */
  position(stat: Deno.FileInfo, head: Uint8Array, gzip: boolean): number;
}

/**
 * Opens `path` and positions it. The identity comes from the open handle, so a file
 * replaced between a scan and the open is read as what was opened. Returns null when
 * the path is gone or not a regular file.
 */
export async function openFile(path: string, options: OpenOptions): Promise<TailFile | null> {
  let fs: Deno.FsFile;
  try {
    fs = await Deno.open(path, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
  try {
    const stat = await fs.stat();
    if (!stat.isFile) {
      fs.close();
      return null;
    }
    const gzip = isGzipPath(path);
    const head = await readHead(fs, stat.size);
    let start = options.position(stat, head, gzip);
    if (!gzip && start > stat.size) start = stat.size;
    await fs.seek(gzip ? 0 : start, Deno.SeekMode.Start);
    const src = gzip ? gzipSource(fs) : plainSource(fs);
    if (gzip && start > 0) start = await src.skip(start);
    const { unicode, generic, ...read } = options.read;
    const codec = codecFor(unicode, generic, gzip ? new Uint8Array(0) : head);
    const reader = new LineReader({ ...read, codec }, start);
    return new TailFile({ path, tag: options.tag, fs, src, reader, stat, head, start, gzip });
  } catch (e) {
    fs.close();
    throw e;
  }
}
