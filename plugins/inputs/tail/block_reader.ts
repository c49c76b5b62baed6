/**
 * Reading one block of a tail file: the read itself (into a buffer that grows for a long
 * line and shrinks back), end-of-file bookkeeping, and turning the block's lines into
 * records (through the multiline joiner when one is set) and then a chunk.
 */
import { errorMessage } from "../../../src/error_message.ts";
import type { InputContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { Chunker } from "./chunker.ts";
import type { LineSink } from "./line_reader.ts";
import type { TailMetrics } from "./metrics.ts";
import type { TailSettings } from "./settings.ts";
import type { TailFile } from "./tail_file.ts";

/** Bytes read from a file per chunk. */
export const READ_BLOCK = 1 << 20;

/** What a block reader works with. */
export interface BlockReaderOptions {
  settings: TailSettings;
  out: Chunker;
  metrics: TailMetrics;
  log: InputContext["log"];
}

/** Reads files block by block into chunks, reusing one buffer. */
export class BlockReader {
  #o: BlockReaderOptions;
  #buf = new Uint8Array(READ_BLOCK + 64 * 1024);

  constructor(options: BlockReaderOptions) {
    this.#o = options;
  }

  /** Reads the next block of `file` into records; null when it gave no chunk. */
  async read(file: TailFile): Promise<Chunk | null> {
    const reader = file.reader;
    const held = reader.pendingBytes;
    const size = this.#buf.length;
    if (size < held + 64 * 1024 || (size > 4 * READ_BLOCK && held < READ_BLOCK)) {
      this.#buf = new Uint8Array(held + READ_BLOCK); // grown for a long line, or back down
    }
    const buf = this.#buf;
    reader.copyPending(buf);
    let n: number | null;
    try {
      n = await file.src.read(buf.subarray(held, Math.min(buf.length, held + READ_BLOCK)));
    } catch (e) {
      this.#o.log.once(
        "error",
        `read:${file.key}`,
        `cannot read ${file.name}: ${errorMessage(e)}`,
      );
      n = null;
    }
    if (n === null || n === 0) {
      if (file.gzip) file.ended = true;
      else file.size = reader.nextOffset;
      file.dirty = false;
      file.eofAt ??= performance.now();
      return null;
    }
    file.eofAt = null;
    const records: LogRecord[] = [];
    const time = EventTime.now();
    const { builder, joiner } = this.#o.settings;
    const path = file.recordPath;
    let sink: LineSink;
    if (joiner) {
      const emit = this.#o.out.emitter(records, path);
      const key = file.key;
      sink = { line: (text, start, end) => joiner.push(key, text, start, end, time, emit) };
    } else {
      sink = { line: (text, start) => builder.add(records, text, time, path, start) };
    }
    reader.feed(buf.subarray(0, held + n), sink);
    if (!file.gzip && reader.nextOffset >= file.size) {
      file.size = reader.nextOffset;
      file.eofAt = performance.now();
      if (file.copy) {
        this.#o.out.flushFile(file, records); // its last line before the lines after the truncation
        file.eofAt = -Infinity;
      }
    }
    this.#o.metrics.multilineTruncated(joiner?.truncated ?? 0);
    const unmatched = joiner?.unmatched;
    if (unmatched) this.#o.metrics.multilineUnmatched(unmatched);
    const held2 = joiner?.heldFrom(file.key);
    const end = held2 === undefined ? reader.completeEnd : Math.min(held2, reader.completeEnd);
    return this.#o.out.chunk(file, records, n, end);
  }
}
