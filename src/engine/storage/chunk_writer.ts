/**
 * Writing a chunk to its input's directory under `storage.path`: the header, the encoded
 * records, an atomic write (fsynced under `storage.sync full`), and the stored chunk that
 * tracks the file from then on.
 */
import type { Chunk } from "../../event/chunk.ts";
import { type ChunkHeader, encodeChunkFile } from "./chunk_file.ts";
import { chunkFileName, safeName, type SyncMode, writeFileAtomic } from "./fs_io.ts";
import { encodeChunkRecords } from "./record_codec.ts";
import { StoredChunk } from "./stored_chunk.ts";

/** How a chunk file is written. */
export interface ChunkWriteOptions {
  /** The names of the outputs the chunk goes to (kept in the header for replay). */
  routes: string[];
  checksum: boolean;
  sync: SyncMode;
}

/** Creates input directories once and writes chunk files into them. */
export class ChunkWriter {
  readonly #path: string;
  readonly #dirs = new Set<string>();

  constructor(path: string) {
    this.#path = path;
  }

  /** Writes `chunk` to a new file in its input's directory and returns its stored chunk. */
  async write(chunk: Chunk, options: ChunkWriteOptions): Promise<StoredChunk> {
    const dir = `${this.#path}/${safeName(chunk.input)}`;
    if (!this.#dirs.has(dir)) {
      await Deno.mkdir(dir, { recursive: true });
      this.#dirs.add(dir);
    }
    const header: ChunkHeader = {
      signal: chunk.signal,
      tag: chunk.tag,
      input: chunk.input,
      routes: options.routes,
      records: chunk.records.length,
      bytes: chunk.bytes,
      created: Date.now(),
    };
    const bytes = encodeChunkFile(header, encodeChunkRecords(chunk), {
      checksum: options.checksum,
    });
    const name = chunkFileName(header.created);
    await writeFileAtomic(dir, name, bytes, options.sync);
    return new StoredChunk(`${dir}/${name}`, header, { size: bytes.length, backlog: false });
  }
}
