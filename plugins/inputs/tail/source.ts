/**
 * Where a file's bytes come from: the open file itself, or for `.gz` files its
 * decompressed content (concatenated gzip members included), pulled only when read.
 * Offsets in a gzip file are offsets in the decompressed bytes.
 */
import { errorMessage } from "../../../src/error_message.ts";
import type { Gunzip } from "node:zlib";
import { nodeZlib } from "../../../src/net/lazy_node.ts";

/** A pull source of bytes. */
export interface ByteSource {
  /** Fills `into` from the current position; null at the end (for now). */
  read(into: Uint8Array): Promise<number | null>;
  /** Skips up to `n` bytes (gzip files resume by decompressing up to their offset). */
  skip(n: number): Promise<number>;
  close(): void;
}

/** True when `path` names a gzip file read transparently. */
export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith(".gz");
}

/** A plain file read at its current position. */
export function plainSource(file: Deno.FsFile): ByteSource {
  return {
    read: (into) => file.read(into),
    skip: async (n) => {
      await file.seek(n, Deno.SeekMode.Current);
      return n;
    },
    close: () => {},
  };
}

const COMPRESSED_BLOCK = 256 * 1024;

/**
 * The decompressed bytes of a gzip file, pulled block by block as they are read (node:zlib is
 * loaded with the first read, so a tail input that meets no .gz file never loads it).
 */
export function gzipSource(file: Deno.FsFile): ByteSource {
  let gunzip: Gunzip | undefined;
  let closed = false;
  const queue: Uint8Array[] = [];
  let head = 0;
  let ended = false;
  let inputDone = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  async function inflater(): Promise<Gunzip> {
    if (gunzip) return gunzip;
    const g = (await nodeZlib()).createGunzip();
    g.on("data", (c: Uint8Array) => {
      queue.push(c);
      notify();
    });
    g.on("end", () => {
      ended = true;
      notify();
    });
    g.on("error", (e: Error) => {
      failure = e;
      ended = true;
      notify();
    });
    if (closed) g.destroy();
    gunzip = g;
    return g;
  }

  async function fill(): Promise<void> {
    const gunzip = await inflater();
    while (head >= queue.length && !ended) {
      const waiting = new Promise<void>((resolve) => (wake = resolve));
      if (!inputDone) {
        const buf = new Uint8Array(COMPRESSED_BLOCK);
        const n = await file.read(buf);
        if (n === null || n === 0) {
          inputDone = true;
          gunzip.end();
        } else {
          gunzip.write(buf.subarray(0, n));
        }
      }
      if (head < queue.length || ended) break;
      await waiting;
    }
    if (failure && head >= queue.length) {
      throw new Error(`Cannot decompress gzip data: ${errorMessage(failure)}`);
    }
  }

  async function read(into: Uint8Array): Promise<number | null> {
    await fill();
    if (head >= queue.length) return null;
    let n = 0;
    while (n < into.length && head < queue.length) {
      const c = queue[head]!;
      const take = Math.min(c.length, into.length - n);
      into.set(c.subarray(0, take), n);
      n += take;
      if (take === c.length) head++;
      else queue[head] = c.subarray(take);
      if (n < into.length && head >= queue.length && !ended) break;
    }
    if (head > 256) {
      queue.splice(0, head);
      head = 0;
    }
    return n;
  }

  return {
    read,
    async skip(n: number) {
      const scratch = new Uint8Array(Math.min(n, 1 << 20));
      let skipped = 0;
      while (skipped < n) {
        const got = await read(scratch.subarray(0, Math.min(n - skipped, scratch.length)));
        if (got === null || got === 0) break;
        skipped += got;
      }
      return skipped;
    },
    close: () => {
      closed = true;
      gunzip?.destroy();
    },
  };
}
