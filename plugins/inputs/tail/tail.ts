/**
 * The tail input: follows the files `path` matches and yields one chunk per block read
 * (about 1 MB of lines). It reads only while the engine pulls, so a paused input holds
 * its position; rotated files stay open and are read to their end before they are
 * closed, however long the input was paused. Positions are committed in order as
 * outputs acknowledge chunks, and written to the offset database.
 */
import { errorMessage } from "../../../src/error_message.ts";
import type { InputContext, InputInstance, InputReport } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { BlockReader } from "./block_reader.ts";
import { checkHead, fileStatus, statHandle } from "./checks.ts";
import { Chunker } from "./chunker.ts";
import { FileSet } from "./file_set.ts";
import { markGone, restartTruncated } from "./lifecycle.ts";
import { type TailMetrics, tailMetrics } from "./metrics.ts";
import { type Opener, openFiles } from "./opener.ts";
import { patternDirs } from "./scan.ts";
import { STAT_POLL_MS, type TailSettings } from "./settings.ts";
import { PositionStore } from "./store.ts";
import type { TailFile } from "./tail_file.ts";
import { Wakeup } from "./watcher.ts";

/** After a write wakes the input, how long it lets more lines arrive before reading, in ms. */
export const COALESCE_MS = 10;
/**
 * Below this read position a changed file's head is compared at every wake-up (a small
 * file can be truncated and rewritten past the position between two wake-ups); further
 * on, at each progress check.
 */
export const HEAD_CHECK_BELOW = 1 << 20;

/** A running tail input. */
export class TailInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  readonly files = new FileSet();
  #s: TailSettings;
  #ctx: InputContext;
  #store: PositionStore;
  #wake: Wakeup;
  #metrics: TailMetrics;
  #opener: Opener;
  #out: Chunker;
  #blocks: BlockReader;
  #scanned = false;
  #scanDue = true;
  #checkDue = true;
  #nextScan = 0;
  #nextCheck = 0;
  #nextPoll = 0;
  #closed = false;

  constructor(settings: TailSettings, ctx: InputContext) {
    this.#s = settings;
    this.#ctx = ctx;
    this.#store = new PositionStore(settings.db, ctx.log);
    this.#metrics = tailMetrics(ctx);
    settings.read.onLong = (what) => this.#metrics.longLine(what);
    this.#wake = new Wakeup(settings.inotify, (m) => ctx.log.warn(m));
    this.#opener = { settings, ctx, store: this.#store, files: this.files, metrics: this.#metrics };
    this.#out = new Chunker({ ctx, settings, store: this.#store, files: this.files });
    this.#blocks = new BlockReader({
      settings,
      out: this.#out,
      metrics: this.#metrics,
      log: ctx.log,
    });
    this.chunks = this.#run();
  }

  /** Closes every file and the database; safe to call twice. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    this.#wake.close();
    for (const f of this.files.byKey.values()) f.close();
    this.#store.close();
    return Promise.resolve();
  }

  /** The files followed now, with read and committed offsets and their size (for lag). */
  report(): InputReport {
    const files = this.files.open().map((f) => {
      let size = f.size;
      if (!f.gzip) {
        try {
          size = f.fs.statSync().size;
        } catch {
          // closed under us: the last size seen will do
        }
      }
      const read = f.reader.nextOffset;
      return { path: f.name, read, committed: f.commits.committed, size, state: f.state };
    });
    return { files };
  }

  async *#run(): AsyncGenerator<Chunk> {
    const signal = this.#ctx.signal;
    try {
      while (!this.#closed) {
        if (signal.aborted) {
          // Stopped: yield what is held (last lines without a newline), then return.
          for (const c of this.#out.final()) yield c;
          return;
        }
        let chunk: Chunk | null;
        try {
          chunk = await this.#step();
        } catch (e) {
          // One file's trouble must not end the input: log it and carry on.
          this.#ctx.log.error(`unexpected error, retrying in 1 s: ${errorMessage(e)}`);
          await this.#wake.wait(1000, signal);
          continue;
        }
        if (chunk) {
          // After a stop the engine keeps pulling until this returns (the input contract),
          // so the held lines go out at the top of the next turn.
          yield chunk;
          continue;
        }
        if (this.#s.exitOnEof && this.#scanned) {
          for (const c of this.#out.final()) yield c;
          return;
        }
        // Woken by a write: let more lines arrive, so a busy file gives fewer, larger chunks.
        if (await this.#wake.wait(this.#idleMs(), signal)) {
          await this.#wake.settle(COALESCE_MS, signal);
        }
      }
    } finally {
      this.#store.flush();
    }
  }

  /** One turn: checks when due, then the next chunk (queued, read, or from a closing file). */
  async #step(): Promise<Chunk | null> {
    if (this.#out.ready.length === 0) await this.#maintain();
    this.#out.expire();
    const chunk = this.#out.ready.shift() ?? await this.#readSome();
    return chunk ?? await this.#purge();
  }

  /** Rescans and stat checks, when due or when events asked for them. */
  async #maintain(): Promise<void> {
    const changes = this.#wake.take();
    for (const p of changes.modified) {
      const f = this.files.named(p);
      if (f) f.dirty = true;
      else this.#scanDue = true;
    }
    if (changes.structural) this.#scanDue = this.#checkDue = true;
    const now = performance.now();
    if (!this.#s.inotify && now >= this.#nextPoll) {
      for (const f of this.files.open()) f.dirty = true;
      this.#nextPoll = now + STAT_POLL_MS;
    }
    if (this.#checkDue || now >= this.#nextCheck) await this.#checkAll();
    if (this.#scanDue || now >= this.#nextScan) await this.#scan();
  }

  async #scan(): Promise<void> {
    const initial = !this.#scanned;
    this.#scanDue = false;
    await openFiles(this.#opener, initial);
    this.#scanned = true;
    this.#nextScan = performance.now() + this.#s.refreshMs;
    this.#wake.watch([...patternDirs(this.#s.patterns), ...this.files.dirs()]);
  }

  async #checkAll(): Promise<void> {
    this.#checkDue = false;
    for (const file of this.files.open()) {
      const st = await this.#refresh(file, true);
      if (!st || file.closed || file.state !== "active") continue;
      const status = await fileStatus(file, st);
      if (status === "rotated" || status === "deleted") {
        await markGone(this.#opener, file, status);
        this.#scanDue = true;
      }
    }
    this.#nextCheck = performance.now() + this.#s.checkMs;
  }

  /**
   * Stats a file: its size, and whether it was truncated or its head replaced
   * (copytruncate), which restarts it at 0. Run before reading new bytes of a changed file.
   */
  async #refresh(file: TailFile, thorough = false): Promise<Deno.FileInfo | null> {
    const st = await statHandle(file);
    file.dirty = false;
    if (!st || file.gzip) return st;
    if (st.size < file.reader.nextOffset) {
      await restartTruncated(this.#opener, this.#out, file, st);
      return st;
    }
    const headCheck = thorough || file.reader.nextOffset < HEAD_CHECK_BELOW;
    if (file.state === "active" && st.size !== file.headSize && headCheck) {
      file.headSize = st.size;
      const head = await checkHead(file, st.size).catch(() => "same" as const);
      if (head === "changed") {
        await restartTruncated(this.#opener, this.#out, file, st);
        return st;
      }
      if (head === "grown") this.#store.identityChanged(file);
    }
    file.size = st.size;
    file.mtime = st.mtime?.getTime() ?? file.mtime;
    return st;
  }

  /** Reads one block of the first file with data; null when none has any. */
  async #readSome(): Promise<Chunk | null> {
    for (const file of this.files.readOrder()) {
      if (!file.readable) continue;
      if (file.dirty && !file.gzip) {
        const files = this.files.byKey.size;
        await this.#refresh(file);
        if (this.#out.ready.length > 0) return this.#out.ready.shift()!;
        if (this.files.byKey.size !== files) return this.#readSome(); // a copy to read first
        if (!file.readable) {
          file.eofAt ??= performance.now();
          continue;
        }
      }
      // A block of skipped lines or of one long line's middle gives no chunk: read on.
      while (file.readable) {
        const chunk = await this.#blocks.read(file);
        if (chunk) return chunk;
        if (this.#out.ready.length > 0) return this.#out.ready.shift()!;
      }
    }
    return null;
  }

  /**
   * Closes rotated and deleted files read to their end `rotate_wait` ago, and with
   * `ignore_active_older_files` files read to their end that are older than `ignore_older`.
   */
  async #purge(): Promise<Chunk | null> {
    const now = performance.now();
    const s = this.#s;
    const oldest = s.ignoreActiveOlder && s.ignoreOlderMs > 0 ? Date.now() - s.ignoreOlderMs : 0;
    for (const file of this.files.open()) {
      if (file.eofAt === null) continue;
      if (file.state === "active" ? file.mtime >= oldest : now - file.eofAt < s.rotateWaitMs) {
        continue;
      }
      const st = await statHandle(file);
      if (st && !file.gzip && st.size > file.reader.nextOffset) {
        file.size = st.size;
        file.eofAt = null;
        continue; // late writes: read them first
      }
      const records: LogRecord[] = [];
      this.#out.flushFile(file, records);
      const chunk = this.#out.chunk(file, records, 0, file.reader.nextOffset);
      if (chunk) this.#out.ready.push(chunk);
      file.close();
      this.files.unname(file);
      this.#metrics.closed();
      this.#ctx.log.debug(
        `closed ${file.name} (${file.state === "active" ? "idle" : "rotate_wait passed"})`,
      );
      this.#out.afterCommit(file, file.commits);
    }
    return this.#out.ready.shift() ?? null;
  }

  #idleMs(): number {
    const now = performance.now();
    let next = Math.min(this.#nextCheck, this.#nextScan);
    if (!this.#s.inotify) next = Math.min(next, this.#nextPoll);
    const deadline = this.#s.joiner?.nextDeadline();
    if (deadline !== undefined) next = Math.min(next, deadline);
    for (const f of this.files.open()) {
      if (f.state !== "active" && f.eofAt !== null) {
        next = Math.min(next, f.eofAt + this.#s.rotateWaitMs);
      }
    }
    return Math.max(0, Math.ceil(next - now));
  }
}
