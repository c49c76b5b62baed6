/**
 * The multiline assembler: lines (raw text or records) go in per stream (a file, a
 * tag), joined messages come out. Several parsers may be given (`docker, cri`); each
 * line is tried with the one that took the stream's last line first, then the others
 * in order, as Fluent Bit does. Synchronous, with every regex compiled beforehand.
 */
import type { LogRecord } from "../event/log_record.ts";
import {
  type LineParts,
  type MultilineMessage,
  PendingGroup,
  type PushOptions,
  regexJoin,
} from "./group.ts";
import { extractLine, singleMessage } from "./extract.ts";
import type { MultilineParser, MultilineRule } from "./rules.ts";

export type { MultilineMessage, PushOptions } from "./group.ts";

/** Fluent Bit's default `multiline_buffer_limit` as sluice's service table gives it. */
export const DEFAULT_BUFFER_LIMIT = 2_000_000;

/** Options for a {@link MultilineAssembler}. */
export interface AssemblerOptions {
  /** Overrides every parser's `key_content` (the multiline filter's `multiline.key_content`). */
  keyContent?: string;
  /** Overrides every parser's `flush_timeout`, in ms (the filter's `flush_ms`); 0 = never. */
  flushMs?: number;
  /** Largest message in characters before it is flushed early; 0 = no limit. */
  bufferLimit?: number;
  /** Monotonic clock in ms, injectable for tests. */
  now?: () => number;
}

interface StreamState<T> {
  /** Index of the parser that took the last line, or -1. */
  lru: number;
  /** That parser's pending messages by key_group value. */
  groups: Map<string, PendingGroup<T>>;
}

const NOTHING: readonly never[] = Object.freeze([]);

/**
 * Joins lines into messages, per stream key, with one or more multiline parsers.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { buildMultilineRegistry } from "./mod.ts";
 *
 * const asm = buildMultilineRegistry([]).assembler(["java"]);
 * asm.push("app.log", "java.lang.IllegalStateException: boom");
 * asm.push("app.log", "    at com.example.App.main(App.java:5)");
 * const [message] = asm.flush("app.log");
 * assertEquals(message?.lines, 2);
 * assertEquals(
 *   message?.record.body.log,
 *   "java.lang.IllegalStateException: boom\n    at com.example.App.main(App.java:5)",
 * );
 * ```
 */
export class MultilineAssembler<T = never> {
  /** The parsers tried in order on each line. */
  readonly parsers: readonly MultilineParser[];
  #streams = new Map<string, StreamState<T>>();
  #keyContent: string | undefined;
  #flushMs: number | undefined;
  #limit: number;
  #now: () => number;
  #truncated = 0;
  #unmatched = 0;
  #unmatchedSample: string | undefined;
  #parts: LineParts<T> = {
    content: "",
    pattern: undefined,
    group: "",
    map: null,
    source: null,
    time: undefined,
    metadata: undefined,
    token: undefined,
  };

  /** An assembler joining lines with `parsers`, tried in order. */
  constructor(parsers: readonly MultilineParser[], options: AssemblerOptions = {}) {
    this.parsers = parsers;
    this.#keyContent = options.keyContent;
    this.#flushMs = options.flushMs;
    this.#limit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Messages flushed early because they reached the buffer limit (`multiline_truncated_total`). */
  get truncatedTotal(): number {
    return this.#truncated;
  }

  /** Lines no parser took, passed on as single messages (malformed for docker and cri). */
  get unmatchedTotal(): number {
    return this.#unmatched;
  }

  /** The last text line no parser took, as a sample for a log line. */
  get unmatchedSample(): string | undefined {
    return this.#unmatchedSample;
  }

  /** Adds one line to `stream`; returns the messages it completed, oldest first. */
  push(
    stream: string,
    line: string | LogRecord,
    options?: PushOptions<T>,
  ): readonly MultilineMessage<T>[] {
    const now = this.#now();
    const out: MultilineMessage<T>[] = [];
    const st = this.#streams.get(stream);
    const lru = st ? st.lru : -1;
    if (st && st.groups.size > 0) this.#expire(stream, st, now, out);
    if (lru >= 0) {
      if (this.#try(lru, stream, line, options, now, out)) return out;
      // The line breaks the sequence: whatever the last parser holds is complete.
      this.#flushGroups(stream, st!, out);
    }
    for (let i = 0; i < this.parsers.length; i++) {
      if (i !== lru && this.#try(i, stream, line, options, now, out)) return out;
    }
    // An empty text line no parser takes makes no record: Fluent Bit has nothing to pack
    // (flb_ml_flush_stream_group with an empty buffer and no first-line context).
    if (line === "") return out;
    if (this.parsers.length > 0) {
      this.#unmatched++;
      if (typeof line === "string") this.#unmatchedSample = line;
    }
    out.push(singleMessage(stream, line, options, this.#keyOf(lru >= 0 ? lru : 0)));
    return out;
  }

  /** Flushes what `stream` holds (every stream when omitted) and forgets its state. */
  flush(stream?: string): readonly MultilineMessage<T>[] {
    if (stream !== undefined) {
      const st = this.#streams.get(stream);
      if (!st) return NOTHING;
      const out: MultilineMessage<T>[] = [];
      this.#flushGroups(stream, st, out);
      this.#streams.delete(stream);
      return out;
    }
    const out: MultilineMessage<T>[] = [];
    for (const [key, st] of this.#streams) this.#flushGroups(key, st, out);
    this.#streams.clear();
    return out;
  }

  /** Flushes every message whose last line is older than its flush timeout. */
  flushExpired(): readonly MultilineMessage<T>[] {
    const now = this.#now();
    const out: MultilineMessage<T>[] = [];
    for (const [key, st] of this.#streams) {
      this.#expire(key, st, now, out);
      if (st.groups.size === 0) this.#streams.delete(key);
    }
    return out;
  }

  /** When the oldest pending message times out (ms on the assembler's clock), if any. */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const st of this.#streams.values()) {
      const timeout = this.#timeout(st);
      if (timeout <= 0) continue;
      for (const g of st.groups.values()) {
        if (g.lines > 0 && (next === undefined || g.lastAt + timeout < next)) {
          next = g.lastAt + timeout;
        }
      }
    }
    return next;
  }

  /** True when `stream` (any stream when omitted) holds lines. */
  hasPending(stream?: string): boolean {
    const states = stream === undefined
      ? [...this.#streams.values()]
      : [this.#streams.get(stream)].filter((s) => s !== undefined);
    return states.some((st) => [...st.groups.values()].some((g) => g.lines > 0));
  }

  #timeout(st: StreamState<T>): number {
    return this.#flushMs ?? this.parsers[st.lru]?.flushTimeoutMs ?? 0;
  }

  #expire(stream: string, st: StreamState<T>, now: number, out: MultilineMessage<T>[]): void {
    const timeout = this.#timeout(st);
    if (timeout <= 0) return;
    const key = this.#keyOf(st.lru);
    for (const [name, g] of st.groups) {
      if (g.lastAt + timeout > now) continue;
      if (g.lines > 0) out.push(g.take(stream, key, false));
      st.groups.delete(name); // an expired message also ends its state
    }
  }

  #flushGroups(stream: string, st: StreamState<T>, out: MultilineMessage<T>[]): void {
    const key = this.#keyOf(st.lru);
    for (const g of st.groups.values()) {
      if (g.lines > 0) out.push(g.take(stream, key, false));
    }
    st.groups.clear();
  }

  #keyOf(index: number): string | undefined {
    return this.#keyContent ?? this.parsers[index]?.keyContent;
  }

  /** Tries parser `i` on the line; commits and returns true when it takes it. */
  #try(
    i: number,
    stream: string,
    line: string | LogRecord,
    options: PushOptions<T> | undefined,
    now: number,
    out: MultilineMessage<T>[],
  ): boolean {
    const p = this.parsers[i]!;
    const parts = this.#parts;
    if (!extractLine(p, this.#keyContent ?? p.keyContent, line, options, parts)) return false;
    let st = this.#streams.get(stream);
    const current = st && st.lru === i ? st.groups.get(parts.group) : undefined;

    // Decide first (no side effects), so a parser that declines leaves no trace.
    let rule: MultilineRule | null = null;
    let continues = false;
    let ends = false;
    if (p.type === "regex") {
      const content = parts.content;
      const from = current?.rule;
      if (from) {
        for (const r of from.continuations) {
          if (r.regex.test(content)) {
            rule = r;
            continues = true;
            break;
          }
        }
      }
      if (rule === null) {
        for (const r of p.startRules) {
          if (r.regex.test(content)) {
            rule = r;
            break;
          }
        }
      }
      if (rule === null) return false;
    } else {
      const subject = parts.pattern ?? parts.content;
      const match = p.matchString;
      if (p.type === "endswith") {
        if (subject.length < match.length) return false;
        ends = subject.endsWith(match) !== p.negate;
      } else {
        ends = (subject === match) !== p.negate;
      }
    }

    if (!st) {
      st = { lru: i, groups: new Map() };
      this.#streams.set(stream, st);
    } else if (st.lru !== i) {
      this.#flushGroups(stream, st, out);
      st.lru = i;
    }
    let g = st.groups.get(parts.group);
    if (!g) {
      g = new PendingGroup<T>();
      st.groups.set(parts.group, g);
    }
    const key = this.#keyContent ?? p.keyContent;
    if (rule !== null) {
      if (continues) {
        const [sep, piece] = regexJoin(g, parts.content);
        this.#append(stream, g, key, sep, piece, out);
      } else {
        if (g.lines > 0) out.push(g.take(stream, key, false));
        this.#append(stream, g, key, "", parts.content, out);
      }
      g.rule = rule;
      if (rule.endsMessage && g.lines > 0) out.push(g.take(stream, key, false));
    } else {
      const sep = key === undefined && g.lines > 0 && !g.text.endsWith("\n") ? "\n" : "";
      this.#append(stream, g, key, sep, parts.content, out);
      if (ends && g.lines > 0) out.push(g.take(stream, key, false));
    }
    g.lastAt = now;
    return true;
  }

  /** Appends a line, flushing early (counted as truncated) at the buffer limit. */
  #append(
    stream: string,
    g: PendingGroup<T>,
    key: string | undefined,
    sep: string,
    piece: string,
    out: MultilineMessage<T>[],
  ): void {
    const limit = this.#limit;
    if (limit > 0 && g.lines > 0 && g.text.length + sep.length + piece.length > limit) {
      out.push(g.take(stream, key, true));
      this.#truncated++;
      sep = "";
      piece = this.#parts.content;
    }
    g.add(this.#parts, sep, piece);
    if (limit > 0 && g.text.length > limit) {
      out.push(g.take(stream, key, true));
      this.#truncated++;
    }
  }
}
