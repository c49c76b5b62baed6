/**
 * Per-input counts of filesystem storage: chunks stored, how many are in memory ("up")
 * and their bytes, as `/api/v1/storage` and the storage metrics report them.
 */
import type { Chunk } from "../../event/chunk.ts";
import type { StoredChunk } from "./stored_chunk.ts";

/** One input's chunks in storage. */
export interface StoredInputStats {
  chunks: number;
  up: number;
  upBytes: number;
}

/** Storage totals over every input. */
export interface StorageTotals {
  chunks: number;
  up: number;
  down: number;
  upBytes: number;
}

/** The counts of every input that has stored chunks. */
export class StorageStats {
  readonly inputs = new Map<string, StoredInputStats>();

  /** The counts of `input`, created at zero. */
  of(input: string): StoredInputStats {
    let s = this.inputs.get(input);
    if (!s) {
      s = { chunks: 0, up: 0, upBytes: 0 };
      this.inputs.set(input, s);
    }
    return s;
  }

  /** Keeps `chunk` as the records of `stored` (counted up once). */
  load(stored: StoredChunk, chunk: Chunk): void {
    if (stored.loaded) return;
    stored.loaded = chunk;
    const s = this.of(stored.header.input);
    s.up++;
    s.upBytes += stored.header.bytes;
  }

  /** Drops the records of `stored` from memory once no route needs them (or when `force`). */
  unload(stored: StoredChunk, force = false): void {
    if (!stored.loaded || (stored.upRoutes > 0 && !force)) return;
    stored.loaded = undefined;
    const s = this.of(stored.header.input);
    s.up--;
    s.upBytes -= stored.header.bytes;
  }

  /** Totals over every input. */
  totals(): StorageTotals {
    let chunks = 0, up = 0, upBytes = 0;
    for (const s of this.inputs.values()) {
      chunks += s.chunks;
      up += s.up;
      upBytes += s.upBytes;
    }
    return { chunks, up, down: chunks - up, upBytes };
  }
}
