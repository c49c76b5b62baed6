/**
 * The systemd input: follows the journal through journalctl's export stream, makes each
 * entry a record as Fluent Bit does, and stores the cursor of the last entry every output
 * has finished with, so a restart resumes after it: nothing lost, nothing repeated.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import {
  ABORTED,
  type InputContext,
  type InputInstance,
  nextOrTimer,
  OptionError,
  orAbort,
  TIMER,
} from "../../../src/plugin.ts";
import { errorMessage } from "../../../src/error_message.ts";
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
/** Longest time read entries wait for more before they are handed on. */
const HOLD_MS = 20;

function openDb(db: NonNullable<SystemdSettings["db"]>, ctx: InputContext): CursorDb {
  try {
    return new CursorDb(db.path, { sync: db.sync, log: ctx.log });
  } catch (e) {
    throw new OptionError("db", `could not open/create database '${db.path}': ${errorMessage(e)}`, {
      cause: e,
    });
  }
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
    this.#db = settings.db ? openDb(settings.db, ctx) : undefined;
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
    const { signal, log, clock } = this.#ctx;
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
      // Entries are held across reads (pipe reads are small) for at most HOLD_MS, up to
      // max_entries or CHUNK_BYTES, so chunks are few and large at high rates.
      let held: JournalEntry[] = [];
      let heldBytes = 0;
      let heldSince = 0;
      const take = () => {
        const chunks = this.#toChunks(held);
        held = [];
        heldBytes = 0;
        return chunks;
      };
      try {
        const readNext = (): Promise<IteratorResult<Uint8Array, undefined>> =>
          proc.stdout.read().then((r) =>
            r.done ? { done: true, value: undefined } : { done: false, value: r.value }
          );
        let next = readNext();
        for (;;) {
          const deadline = held.length > 0 ? heldSince + HOLD_MS : undefined;
          const read = await orAbort(nextOrTimer(next, deadline, clock), signal);
          if (read === ABORTED) break;
          if (read === TIMER) {
            for (const chunk of take()) yield chunk;
            continue;
          }
          if (read.done) break;
          next = readNext();
          if (held.length === 0) heldSince = clock.now();
          const before = held.length;
          reader.push(read.value, held);
          for (let i = before; i < held.length; i++) heldBytes += held[i]!.bytes;
          entries += held.length - before;
          if (held.length >= this.#settings.maxEntries || heldBytes >= CHUNK_BYTES) {
            for (const chunk of take()) yield chunk;
          }
        }
        // The stop rule: what was read is handed on before the input ends.
        for (const chunk of take()) yield chunk;
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

  /**
   * The chunks of one batch of entries: one per tag (entries of a tag keep their order),
   * cut at `max_entries` and CHUNK_BYTES; then the batch's last cursor is queued after them.
   */
  #toChunks(batch: readonly JournalEntry[]): Chunk[] {
    const { shape, maxEntries, matcher } = this.#settings;
    const chunks: Chunk[] = [];
    const groups = new Map<string, { records: LogRecord[]; bytes: number }>();
    const emit = (tag: string, group: { records: LogRecord[]; bytes: number }) => {
      const chunk = this.#ctx.chunk(group.records, { tag, bytes: group.bytes });
      this.#commits.track(chunk.ack);
      chunks.push(chunk);
    };
    for (const entry of batch) {
      if (matcher && !matcher(entry)) continue;
      const tag = this.#tagOf(entry);
      let group = groups.get(tag);
      if (!group) groups.set(tag, group = { records: [], bytes: 0 });
      group.records.push(entryRecord(entry, shape));
      group.bytes += entry.bytes;
      if (group.records.length >= maxEntries || group.bytes >= CHUNK_BYTES) {
        emit(tag, group);
        groups.delete(tag);
      }
    }
    for (const [tag, group] of groups) emit(tag, group);
    const last = batch[batch.length - 1];
    if (last) {
      this.#lastRead = last.cursor;
      this.#commits.reach(last.cursor);
    }
    return chunks;
  }
}
