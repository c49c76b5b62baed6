/**
 * Reading chunk files back into chunks, and putting unreadable ones aside.
 */
import { Ack } from "../../event/ack.ts";
import type { Chunk } from "../../event/chunk.ts";
import type { Logger } from "../log.ts";
import { CorruptChunkError, decodeChunkFile } from "./chunk_file.ts";
import { moveAside, removeFile } from "./fs_io.ts";
import { decodeChunkRecords } from "./record_codec.ts";

/**
 * The chunk in a chunk file, with a fresh ack of its own; throws CorruptChunkError (or the
 * decoder's TypeError or RangeError) when the file is damaged.
 */
export async function readChunkFile(path: string): Promise<Chunk> {
  const { header, payload } = decodeChunkFile(await Deno.readFile(path));
  const records = decodeChunkRecords(header.signal, payload);
  if (records.length !== header.records) {
    throw new CorruptChunkError(`${records.length} records, the header says ${header.records}`);
  }
  return {
    signal: header.signal,
    tag: header.tag,
    input: header.input,
    records,
    bytes: header.bytes,
    ack: new Ack(),
  } as Chunk;
}

/**
 * Moves an unreadable chunk file to `corruptDir` (named `<dir>__<file>`), or deletes it
 * when `remove` (`storage.delete_irrecoverable_chunks`); logs either way, never throws.
 */
export async function quarantine(
  path: string,
  corruptDir: string,
  options: { dir: string; reason: string; remove: boolean; log: Logger },
): Promise<void> {
  const { log, reason } = options;
  try {
    if (options.remove) {
      await removeFile(path);
      log.error(`unreadable chunk file ${path} deleted: ${reason}`);
    } else {
      const to = await moveAside(path, corruptDir, `${options.dir}__`);
      log.error(`unreadable chunk file moved to ${to}: ${reason}`);
    }
  } catch (e) {
    log.error(`cannot move unreadable chunk file ${path} aside: ${String(e)}`);
  }
}
