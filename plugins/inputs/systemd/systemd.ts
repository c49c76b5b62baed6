/**
 * The systemd input: follows the journal through journalctl's export stream, makes each
 * entry a record as Fluent Bit does, and stores the cursor of the last entry every output
 * has finished with, so a restart resumes after it: nothing lost, nothing repeated.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import { CursorCommits } from "./commits.ts";
import { CursorDb } from "./cursor_db.ts";
import { ExportReader, type JournalEntry } from "./export_reader.ts";
import { Journalctl, type StartAt } from "./journalctl.ts";
import { entryRecord, entryTagger } from "./records.ts";
import type { SystemdSettings } from "./settings.ts";

/** Bytes of export text after which a chunk is cut (Fluent Bit cuts at about 1 MB). */
const CHUNK_BYTES = 1_024_000;
/** Wait before journalctl is started again after it ended by itself. */
const RESTART_MS = 1000;
const ABORTED = Symbol("aborted");

function orAbort<T>(read: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    read.then((v) => {
      signal.removeEventListener("abort", onAbort);
      resolve(v);
    }, (e) => {
      signal.removeEventListener("abort", onAbort);
      reject(e);
    });
  });
}

/** A running systemd input. */
export class SystemdInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  #settings: SystemdSettings;
  #ctx: InputContext;
  #db: CursorDb | undefined;
  #commits: CursorCommits;
  #tagOf: (entry: JournalEntry) => string;
  #proc: Journalctl | undefined;
  /** The cursor of the last entry read, where a restarted journalctl goes on. */
  #lastRead: string | undefined;

  constructor(settings: SystemdSettings, ctx: InputContext) {
    this.#settings = settings;
    this.#ctx = ctx;
    this.#db = settings.db
      ? new CursorDb(settings.db.path, { sync: settings.db.sync, log: ctx.log })
      : undefined;
    this.#commits = new CursorCommits((cursor) => this.#db?.set(cursor));
    this.#tagOf = entryTagger(ctx.tag);
    this.chunks = this.#run();
  }

  /** Commits what was acknowledged, stops journalctl and closes the database. */
  async close(): Promise<void> {
    this.#commits.advance();
    await this.#proc?.stop();
    this.#db?.close();
  }

  async *#run(): AsyncGenerator<Chunk> {
    const { signal, log } = this.#ctx;
    const fallback: StartAt = this.#settings.readFromTail ? "tail" : "head";
    const stored = this.#db?.get();
    let start: StartAt = stored ? { after: stored } : fallback;
    if (stored) log.info(`seek_cursor=${stored.slice(0, 40)}...`);
    while (!signal.aborted) {
      const proc = new Journalctl(
        this.#settings.journalctl,
        start,
        (line) => log.error(`journalctl: ${line}`),
      );
      this.#proc = proc;
      const reader = new ExportReader();
      let entries = 0;
      try {
        for (;;) {
          const read = await orAbort(proc.stdout.read(), signal);
          if (read === ABORTED || read.done) break;
          const batch: JournalEntry[] = [];
          reader.push(read.value, batch);
          entries += batch.length;
          for (const chunk of this.#toChunks(batch)) yield chunk;
        }
      } finally {
        await proc.stop();
      }
      if (signal.aborted) break;
      const status = await proc.child.status;
      if (
        typeof start === "object" && entries === 0 && proc.errors.some((l) => /cursor/i.test(l))
      ) {
        log.warn(`seek_cursor failed; reading from the ${fallback} of the journal`);
        start = fallback;
        continue;
      }
      log.error(
        `journalctl exited with code ${status.code}` +
          (status.signal ? ` (signal ${status.signal})` : "") +
          (proc.errors.length ? `: ${proc.errors.join(" / ")}` : "") +
          `; starting it again in ${RESTART_MS} ms`,
      );
      if (this.#lastRead) start = { after: this.#lastRead };
      await this.#ctx.clock.sleep(RESTART_MS, signal).catch(() => {});
    }
  }

  /** The chunks of one batch of entries, split by tag, `max_entries` and size. */
  #toChunks(batch: readonly JournalEntry[]): Chunk[] {
    const { shape, maxEntries, matcher } = this.#settings;
    const chunks: Chunk[] = [];
    let records: LogRecord[] = [];
    let tag = "";
    let bytes = 0;
    let cursor = "";
    let flushedAt = "";
    const flush = () => {
      const chunk = this.#ctx.chunk(records, { tag, bytes });
      this.#commits.push(chunk.ack, cursor);
      flushedAt = cursor;
      chunks.push(chunk);
      records = [];
      bytes = 0;
    };
    for (const entry of batch) {
      if (matcher && !matcher(entry)) {
        cursor = entry.cursor;
        continue;
      }
      const entryTag = this.#tagOf(entry);
      if (records.length > 0 && entryTag !== tag) flush();
      tag = entryTag;
      records.push(entryRecord(entry, shape));
      bytes += entry.bytes;
      cursor = entry.cursor;
      if (records.length >= maxEntries || bytes >= CHUNK_BYTES) flush();
    }
    if (records.length > 0) flush();
    const last = batch[batch.length - 1];
    if (last) {
      this.#lastRead = last.cursor;
      // Entries left out by the filter after the last chunk: nothing to wait for.
      if (last.cursor !== flushedAt) this.#commits.push(null, last.cursor);
    }
    return chunks;
  }
}
