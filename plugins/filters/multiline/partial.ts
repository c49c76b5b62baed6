/**
 * `mode partial_message`: joins records a container runtime split and marked with
 * `partial_message`, `partial_id` and `partial_last` (Docker's fluentd log driver),
 * as Fluent Bit's multiline filter does.
 */
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { Joined, Joiner } from "./joiner.ts";

interface Packer<T> {
  stream: string;
  first: LogRecord;
  text: string;
  tokens: T[];
  lastAt: number;
}

const NONE: readonly never[] = Object.freeze([]);

/** True for `true` or a string starting with "true" in any case, as Fluent Bit reads the flags. */
function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && /^true/i.test(value));
}

/**
 * Joins split records by `partial_id` per stream. Other records pass through alone;
 * an unfinished one is flushed `flushMs` after its last part.
 *
 * @example
 * ```ts
 * import { logRecord } from "../../../src/event/log_record.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const j = new PartialJoiner("log", { flushMs: 2000 });
 * const part = { partial_message: "true", partial_id: "1", stream: "stdout" };
 * assertEquals(j.push("s", logRecord({ ...part, log: "a long " }), {}), []); // held
 * const [joined] = j.push("s", logRecord({ ...part, log: "line", partial_last: "true" }), {});
 * assertEquals(joined?.record.body, { stream: "stdout", log: "a long line" });
 * ```
 */
export class PartialJoiner<T> implements Joiner<T> {
  readonly keyContent: string;
  #flushMs: number;
  #now: () => number;
  #packers = new Map<string, Packer<T>>();

  constructor(keyContent: string, options: { flushMs: number; now?: () => number }) {
    this.keyContent = keyContent;
    this.#flushMs = options.flushMs;
    this.#now = options.now ?? (() => performance.now());
  }

  push(stream: string, record: LogRecord, options: { token?: T }): readonly Joined<T>[] {
    const body = record.body;
    const id = body.partial_id;
    const content = body[this.keyContent];
    const token = options.token;
    if (!isTrue(body.partial_message) || typeof id !== "string" || typeof content !== "string") {
      return [{ stream, record, tokens: token === undefined ? [] : [token], truncated: false }];
    }
    const key = `${stream}\u0000${id}`;
    let p = this.#packers.get(key);
    if (!p) {
      p = { stream, first: record, text: "", tokens: [], lastAt: 0 };
      this.#packers.set(key, p);
    }
    p.text += content;
    if (token !== undefined) p.tokens.push(token);
    p.lastAt = this.#now();
    if (!isTrue(body.partial_last)) return NONE;
    this.#packers.delete(key);
    return [this.#complete(p)];
  }

  flushExpired(): readonly Joined<T>[] {
    const now = this.#now();
    const out: Joined<T>[] = [];
    for (const [key, p] of this.#packers) {
      if (p.lastAt + this.#flushMs <= now) {
        this.#packers.delete(key);
        out.push(this.#complete(p));
      }
    }
    return out;
  }

  flush(): readonly Joined<T>[] {
    const out = [...this.#packers.values()].map((p) => this.#complete(p));
    this.#packers.clear();
    return out;
  }

  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const p of this.#packers.values()) {
      const at = p.lastAt + this.#flushMs;
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** The first part's fields without `partial_*`, and the joined content last. */
  #complete(p: Packer<T>): Joined<T> {
    const body: RecordMap = {};
    for (const k in p.first.body) {
      if (k === this.keyContent || k.startsWith("partial_")) continue;
      body[k] = p.first.body[k];
    }
    body[this.keyContent] = p.text;
    const record: LogRecord = { time: p.first.time, metadata: p.first.metadata, body };
    return { stream: p.stream, record, tokens: p.tokens, truncated: false };
  }
}
