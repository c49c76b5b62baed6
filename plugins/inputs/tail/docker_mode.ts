/**
 * `docker_mode`: Docker's json-file driver splits long lines into several
 * `{"log":"..."}` entries; only the last one's `log` ends with a newline. The pieces are
 * joined back into one line (the last entry with the joined `log`), which then goes
 * through `parser` like any line. With `docker_mode_parser`, a line matching that parser
 * starts a new message and the lines after it are joined until the next one.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { Parser } from "../../../src/parsers/types.ts";
import { DeadlineJoiner } from "./deadline_joiner.ts";
import type { Emit } from "./joiner.ts";

interface Pending {
  log: string;
  last: Record<string, unknown>;
  start: number;
  time: EventTime;
  deadline: number;
}

/** Joins split Docker JSON lines per file. */
export class DockerJoiner extends DeadlineJoiner<Pending> {
  #firstline: Parser | undefined;

  constructor(options: { flushSeconds: number; firstline?: Parser; now?: () => number }) {
    super(options);
    this.#firstline = options.firstline;
  }

  override push(
    stream: string,
    text: string,
    start: number,
    _end: number,
    time: EventTime,
    emit: Emit,
  ): void {
    const entry = parseEntry(text);
    const p = this.pending.get(stream);
    if (entry === null) {
      if (p) this.send(stream, p, emit);
      emit(stream, text, start, time);
      return;
    }
    const log = entry.log as string;
    if (this.#firstline !== undefined) {
      if (this.#firstline.parse(text) !== null) {
        if (p) this.send(stream, p, emit);
        this.#hold(stream, log, entry, start, time);
      } else if (p) {
        p.log += log;
        p.last = entry;
        p.deadline = this.nextDue();
      } else if (log.endsWith("\n")) {
        emit(stream, text, start, time);
      } else {
        this.#hold(stream, log, entry, start, time);
      }
      return;
    }
    if (p) {
      p.log += log;
      p.last = entry;
      p.deadline = this.nextDue();
      if (log.endsWith("\n")) this.send(stream, p, emit);
    } else if (log.endsWith("\n")) {
      emit(stream, text, start, time);
    } else {
      this.#hold(stream, log, entry, start, time);
    }
  }

  #hold(
    stream: string,
    log: string,
    entry: Record<string, unknown>,
    start: number,
    time: EventTime,
  ) {
    this.pending.set(stream, {
      log,
      last: entry,
      start,
      time,
      deadline: this.nextDue(),
    });
  }

  protected override emitMessage(stream: string, p: Pending, emit: Emit): void {
    emit(stream, JSON.stringify({ ...p.last, log: p.log }), p.start, p.time);
  }
}

/** The entry of a Docker JSON line, when it is one with a string `log`. */
function parseEntry(text: string): Record<string, unknown> | null {
  if (text.charCodeAt(0) !== 123) return null;
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
    return typeof v.log === "string" ? v : null;
  } catch {
    return null;
  }
}
