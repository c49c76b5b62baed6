/**
 * The dead-letter store (`storage.keep.rejected`): chunks an output refused for good, or
 * gave up on after its retries, or dropped for `storage.total_limit_size`, written one
 * file per chunk under `<storage.path>/<storage.rejected.path>/` as
 * `<tag>_<status>_<output>_<id>.flb`, in the chunk file format with the output, reason,
 * status and time in the header. Nothing a store accepts is gone: `sluice dlq` lists and
 * replays it. What it cannot take (over `storage.rejected.limit`, or a write error) is
 * counted and logged.
 */
import { errorMessage } from "../../error_message.ts";
import type { Chunk } from "../../event/chunk.ts";
import type { Logger } from "../log.ts";
import type { Metric, MetricsRegistry } from "../metrics.ts";
import { type ChunkHeader, decodeChunkFile, encodeChunkFile } from "./chunk_file.ts";
import { CHUNK_SUFFIX, chunkFileName, safeName, writeFileAtomic } from "./fs_io.ts";
import { decodeChunkRecords, encodeChunkRecords } from "./record_codec.ts";

/** The header of a dead-letter file: a chunk header with why and where it was rejected. */
export interface DeadLetterHeader extends ChunkHeader {
  output: string;
  reason: string;
  /** The status the destination answered (HTTP code), 0 when there was none. */
  status: number;
  /** Epoch milliseconds of the rejection. */
  rejected: number;
}

/** One chunk to dead-letter. */
export interface DeadLetterInput {
  chunk: Chunk;
  output: string;
  reason: string;
  status?: number;
}

/** A dead-letter file found on disk. */
export interface DeadLetterEntry {
  path: string;
  size: number;
  header: DeadLetterHeader;
}

/** Writes rejected chunks to a directory, within an optional size limit. */
export class DeadLetterStore {
  readonly dir: string;
  readonly limit: number | undefined;
  #log: Logger;
  #stored: Metric;
  #failed: Metric;
  #used: number | undefined;

  constructor(options: { dir: string; limit?: number; log: Logger; metrics: MetricsRegistry }) {
    this.dir = options.dir;
    this.limit = options.limit && options.limit > 0 ? options.limit : undefined;
    this.#log = options.log;
    this.#stored = options.metrics.counter(
      "sluice_output_dead_letter_records_total",
      "Records an output rejected or gave up on, kept in the dead-letter store.",
    );
    this.#failed = options.metrics.counter(
      "sluice_output_dead_letter_failed_records_total",
      "Records the dead-letter store could not keep (storage.rejected.limit or a write error).",
    );
  }

  /** Makes the counters of `output` show at 0 before anything happens. */
  touch(output: string): void {
    this.#stored.touch({ name: output });
    this.#failed.touch({ name: output });
  }

  /** Writes one rejected chunk; true when it is on disk, false when it could not be kept. */
  async write(input: DeadLetterInput): Promise<boolean> {
    const { chunk, output } = input;
    const labels = { name: output };
    const n = chunk.records.length;
    const now = Date.now();
    const header: DeadLetterHeader = {
      signal: chunk.signal,
      tag: chunk.tag,
      input: chunk.input,
      routes: [output],
      records: n,
      bytes: chunk.bytes,
      created: now,
      output,
      reason: input.reason,
      status: input.status ?? 0,
      rejected: now,
    };
    try {
      const bytes = encodeChunkFile(header, encodeChunkRecords(chunk), { checksum: true });
      if (this.limit !== undefined) {
        const used = this.#used ?? await this.#measure();
        if (used + bytes.length > this.limit) {
          this.#failed.inc(labels, n);
          this.#log.error(
            `dead-letter store is full (storage.rejected.limit ${this.limit} bytes): ` +
              `${n} records from "${output}" are dropped: ${input.reason}`,
          );
          return false;
        }
      }
      await Deno.mkdir(this.dir, { recursive: true });
      const name = `${safeName(chunk.tag)}_${header.status}_${safeName(output)}_${
        chunkFileName(now)
      }`;
      await writeFileAtomic(this.dir, name, bytes, "full");
      this.#used = (this.#used ?? 0) + bytes.length;
      this.#stored.inc(labels, n);
      this.#log.warn(`${n} records dead-lettered to ${this.dir}/${name}: ${input.reason}`);
      return true;
    } catch (e) {
      this.#failed.inc(labels, n);
      this.#log.error(
        `cannot write ${n} records to the dead-letter store: ${errorMessage(e)}`,
      );
      return false;
    }
  }

  async #measure(): Promise<number> {
    let used = 0;
    for (const e of await listDeadLetters(this.dir).catch(() => [])) used += e.size;
    this.#used = used;
    return used;
  }
}

/** The dead-letter files in `dir`, oldest first; unreadable files are skipped. */
export async function listDeadLetters(dir: string): Promise<DeadLetterEntry[]> {
  const out: DeadLetterEntry[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  for (const e of entries) {
    if (!e.isFile || !e.name.endsWith(CHUNK_SUFFIX)) continue;
    const path = `${dir}/${e.name}`;
    try {
      const bytes = await Deno.readFile(path);
      out.push({
        path,
        size: bytes.length,
        header: checkDeadLetter(decodeChunkFile(bytes).header),
      });
    } catch {
      // Not a dead-letter file (or a damaged one): `sluice dlq list` shows what it can read.
    }
  }
  return out.sort((a, b) => a.header.rejected - b.header.rejected || (a.path < b.path ? -1 : 1));
}

/** The header and records of one dead-letter file; throws when it cannot be read. */
export async function readDeadLetter(
  path: string,
): Promise<{ header: DeadLetterHeader; records: Chunk["records"] }> {
  const { header, payload } = decodeChunkFile(await Deno.readFile(path));
  const h = checkDeadLetter(header);
  return { header: h, records: decodeChunkRecords(h.signal, payload) };
}

function checkDeadLetter(h: ChunkHeader): DeadLetterHeader {
  const d = h as Partial<DeadLetterHeader>;
  if (typeof d.output !== "string" || typeof d.reason !== "string") {
    throw new TypeError("Not a dead-letter file: the header has no output or reason");
  }
  return {
    ...h,
    output: d.output,
    reason: d.reason,
    status: d.status ?? 0,
    rejected: d.rejected ?? h.created,
  };
}
