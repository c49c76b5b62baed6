/**
 * Making chunks out of a file's records and tying each to the file's commit queue: the
 * committed offset moves when the chunk's ack and every earlier one settle, and a closed
 * file is forgotten once all its chunks are acknowledged. Also the flushes of held lines
 * (joiner timeouts, a file's end, shutdown). Chunks made but not yet handed to the engine
 * wait in `ready`, in order.
 */
import type { InputContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { CommitQueue } from "./commit.ts";
import type { FileSet } from "./file_set.ts";
import type { Emit } from "./joiner.ts";
import type { TailSettings } from "./settings.ts";
import type { PositionStore } from "./store.ts";
import type { TailFile } from "./tail_file.ts";

/** Builds and tracks the chunks of one tail input. */
export class Chunker {
  /** Chunks made and not yet yielded, oldest first. */
  ready: Chunk[] = [];
  #ctx: InputContext;
  #s: TailSettings;
  #store: PositionStore;
  #files: FileSet;

  constructor(deps: {
    ctx: InputContext;
    settings: TailSettings;
    store: PositionStore;
    files: FileSet;
  }) {
    this.#ctx = deps.ctx;
    this.#s = deps.settings;
    this.#store = deps.store;
    this.#files = deps.files;
  }

  /** Where a joiner's output for a file goes: text lines become records, records get keys. */
  emitter(records: LogRecord[], path: string): Emit {
    const builder = this.#s.builder;
    return (_stream, item, offset, time) => {
      if (typeof item === "string") builder.add(records, item, time, path, offset);
      else records.push(builder.decorate(item, path, offset));
    };
  }

  /**
   * The chunk of `records` read from `file` (null when there are none), with its commit
   * queued: `end` is the offset the file may resume from once the chunk is acknowledged.
   */
  chunk(file: TailFile, records: LogRecord[], bytes: number, end: number): Chunk | null {
    const queue = file.commits;
    if (records.length === 0) {
      queue.push(null, end);
      this.afterCommit(file, queue);
      return null;
    }
    const chunk = this.#ctx.chunk(records, { bytes: Math.max(bytes, 1), tag: file.tag });
    this.#track(file, queue, chunk, end);
    return chunk;
  }

  #track(file: TailFile, queue: CommitQueue, chunk: Chunk, end: number): void {
    queue.push(chunk.ack, end);
    chunk.ack.done.then(() => {
      queue.advance();
      this.afterCommit(file, queue);
    });
  }

  /** After a commit moved: write it; forget a closed file whose chunks are all settled. */
  afterCommit(file: TailFile, queue: CommitQueue): void {
    if (queue !== file.commits) return; // a generation before a truncation
    this.#store.committed(file);
    if (file.closed && queue.pending === 0) {
      if (file.state === "deleted") this.#store.forget(file);
      this.#files.remove(file);
    }
  }

  /** Appends the held partial line and joined lines of `file` to `records`. */
  flushFile(file: TailFile, records: LogRecord[]): void {
    const joiner = this.#s.joiner;
    const emit = this.emitter(records, file.recordPath);
    const time = EventTime.now();
    file.reader.finish({
      line: (text, start, end) =>
        joiner
          ? joiner.push(file.key, text, start, end, time, emit)
          : emit(file.key, text, start, time),
    });
    joiner?.flush(file.key, emit);
  }

  /** Queues, as chunks, the messages joiners held past their flush timeout. */
  expire(): void {
    const joiner = this.#s.joiner;
    const deadline = joiner?.nextDeadline();
    if (!joiner || deadline === undefined || deadline > performance.now()) return;
    const byFile = new Map<TailFile, LogRecord[]>();
    joiner.expire((stream, item, offset, time) => {
      const file = this.#files.byKey.get(stream);
      if (!file) return;
      let records = byFile.get(file);
      if (!records) byFile.set(file, records = []);
      this.emitter(records, file.recordPath)(stream, item, offset, time);
    });
    for (const [file, records] of byFile) {
      const held = joiner.heldFrom(file.key);
      const end = Math.min(held ?? Infinity, file.reader.completeEnd);
      const chunk = this.chunk(file, records, 0, end);
      if (chunk) this.ready.push(chunk);
    }
  }

  /**
   * At shutdown or exit_on_eof: the queued chunks, then the held lines of files read to
   * their end, one chunk per tag. A file stopped mid-way keeps its partial line (and joined
   * lines) for the next run: its offset stays before them.
   */
  final(): Chunk[] {
    const byTag = new Map<string, { records: LogRecord[]; files: TailFile[] }>();
    for (const file of this.#files.open()) {
      const atEnd = file.gzip ? file.ended : file.reader.nextOffset >= file.size;
      if (!atEnd) continue;
      const records: LogRecord[] = [];
      this.flushFile(file, records);
      let group = byTag.get(file.tag);
      if (!group) byTag.set(file.tag, group = { records: [], files: [] });
      for (const r of records) group.records.push(r);
      group.files.push(file);
    }
    const chunks = this.ready;
    this.ready = [];
    for (const [tag, group] of byTag) {
      if (group.records.length === 0) {
        for (const f of group.files) this.chunk(f, [], 0, f.reader.nextOffset);
        continue;
      }
      const chunk = this.#ctx.chunk(group.records, { bytes: 1, tag });
      for (const f of group.files) this.#track(f, f.commits, chunk, f.reader.nextOffset);
      chunks.push(chunk);
    }
    return chunks;
  }
}
