/**
 * The old `multiline: on` mode: a line matching `parser_firstline` starts a message (its
 * parsed fields); following lines matching one of `parser_1..9` add their fields, other
 * lines are appended to the message's last field when it is a string (joined with a
 * newline). A line before any first line goes out alone. A message is sent at the next
 * first line, or `multiline_flush` seconds after its last line.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import type { Parser } from "../../../src/parsers/types.ts";
import { DeadlineJoiner } from "./deadline_joiner.ts";
import type { Emit } from "./joiner.ts";

interface Message {
  body: RecordMap;
  time: EventTime;
  start: number;
  end: number;
  /** The key raw lines are appended to (the last key, when its value is a string). */
  appendKey: string | null;
  deadline: number;
}

/** Joins lines per file with Fluent Bit's old multiline rules. */
export class OldMultilineJoiner extends DeadlineJoiner<Message> {
  #firstline: Parser;
  #parsers: readonly Parser[];

  constructor(
    firstline: Parser,
    parsers: readonly Parser[],
    options: { flushSeconds: number; now?: () => number },
  ) {
    super(options);
    this.#firstline = firstline;
    this.#parsers = parsers;
  }

  override push(
    stream: string,
    text: string,
    start: number,
    end: number,
    time: EventTime,
    emit: Emit,
  ): void {
    const first = this.#firstline.parse(text);
    const p = this.pending.get(stream);
    if (first !== null) {
      if (p) this.send(stream, p, emit);
      const keys = Object.keys(first.body);
      const lastKey = keys.at(-1) ?? null;
      this.pending.set(stream, {
        body: { ...first.body },
        time: first.time ?? time,
        start,
        end,
        appendKey: lastKey !== null && typeof first.body[lastKey] === "string" ? lastKey : null,
        deadline: this.nextDue(),
      });
      return;
    }
    if (!p) {
      emit(stream, text, start, time);
      return;
    }
    for (const parser of this.#parsers) {
      const r = parser.parse(text);
      if (r === null) continue;
      Object.assign(p.body, r.body);
      p.end = end;
      p.deadline = this.nextDue();
      return;
    }
    if (p.appendKey !== null) {
      p.body[p.appendKey] = `${p.body[p.appendKey]}\n${text}`;
      p.end = end;
      p.deadline = this.nextDue();
    } else {
      emit(stream, text, start, time);
    }
  }

  protected override emitMessage(stream: string, p: Message, emit: Emit): void {
    emit(stream, { time: p.time, metadata: {}, body: p.body }, p.end, p.time);
  }
}
