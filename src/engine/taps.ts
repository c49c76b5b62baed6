/**
 * Taps: watching the records that pass a point of a running pipeline (`sluice tap`). The
 * points are after an input (and its processors), after a filter, and where an output
 * takes a chunk (before its processors). A tap names the points by kind and instance name
 * (`*` wildcards) and optionally a tag pattern; it receives each record as one JSON line,
 * at most `rate` per second (the rest counted as skipped) and a `sample` fraction of them.
 * With no tap attached a point costs one property read per chunk.
 */
import type { Chunk } from "../event/chunk.ts";
import { formatTimeDouble, jsonValue, telemetryJson } from "../event/json_value.ts";
import type { LogRecord } from "../event/log_record.ts";
import { compileTagMatcher, type TagMatcher } from "./router.ts";

/** Where in the pipeline a tap watches. */
export type TapPoint = "input" | "filter" | "output";

/** What a tap watches and how much of it it wants. */
export interface TapRequest {
  /** Kinds of points; all when empty. */
  points?: readonly TapPoint[];
  /** Instance names (`tail.0`, `grep.*`); every instance when unset. */
  name?: string;
  /** Tag pattern; every tag when unset. */
  tag?: string;
  /** Records per second at most (0 = no limit). */
  rate?: number;
  /** The fraction of records to pass on, 0 to 1 (1 = all). */
  sample?: number;
}

/** One attached tap. */
interface Tap {
  points: ReadonlySet<TapPoint>;
  name: TagMatcher;
  tag: TagMatcher;
  rate: number;
  sample: number;
  send: (line: string) => void;
  window: { start: number; sent: number };
  skipped: number;
}

/** The taps of one running service; pipelines share it across hot reloads. */
export class Taps {
  #taps = new Set<Tap>();

  /** True while at least one tap is attached: points check this before anything else. */
  get active(): boolean {
    return this.#taps.size > 0;
  }

  /**
   * Attaches a tap sending JSON lines to `send`; returns the function that detaches it.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../testing/assert.ts";
   * import { Ack } from "../event/ack.ts";
   * import { EventTime } from "../event/event_time.ts";
   *
   * const taps = new Taps();
   * const lines: string[] = [];
   * const detach = taps.attach({ points: ["filter"], name: "grep.*" }, (l) => lines.push(l));
   * const records = [{ time: new EventTime(1, 0), metadata: {}, body: { msg: "hi" } }];
   * const chunk = { signal: "logs", tag: "app", input: "dummy.0", records, bytes: 9, ack: new Ack() };
   * taps.emit("filter", "grep.0", chunk as never);
   * taps.emit("input", "dummy.0", chunk as never); // another point: not watched
   * detach();
   * assertEquals([lines.length, taps.active], [1, false]);
   * assertEquals(JSON.parse(lines[0]!).record, { msg: "hi" });
   * ```
   */
  attach(request: TapRequest, send: (line: string) => void): () => void {
    const all: TapPoint[] = ["input", "filter", "output"];
    const tap: Tap = {
      points: new Set(request.points?.length ? request.points : all),
      name: compileTagMatcher({ match: request.name || "*" }),
      tag: compileTagMatcher({ match: request.tag || "*" }),
      rate: request.rate ?? 0,
      sample: request.sample ?? 1,
      send,
      window: { start: 0, sent: 0 },
      skipped: 0,
    };
    this.#taps.add(tap);
    return () => void this.#taps.delete(tap);
  }

  /** Sends the chunk's records to every tap watching point `point` of instance `name`. */
  emit(point: TapPoint, name: string, chunk: Chunk): void {
    const now = Date.now();
    for (const tap of this.#taps) {
      if (!tap.points.has(point) || !tap.name(name) || !tap.tag(chunk.tag)) continue;
      for (const r of chunk.records as readonly unknown[]) {
        if (tap.sample < 1 && Math.random() >= tap.sample) continue;
        if (tap.rate > 0) {
          if (now - tap.window.start >= 1000) tap.window = { start: now, sent: 0 };
          if (tap.window.sent >= tap.rate) {
            tap.skipped++;
            continue;
          }
          tap.window.sent++;
        }
        tap.send(line(point, name, chunk, r));
      }
    }
  }
}

/** One tap line: where, then the record as the json formats write it (spans and metrics too). */
function line(point: TapPoint, name: string, chunk: Chunk, r: unknown): string {
  const head = JSON.stringify({ point, name, signal: chunk.signal, tag: chunk.tag }).slice(0, -1);
  if (chunk.signal !== "logs") return `${head},"record":${telemetryJson(r)}}`;
  const rec = r as LogRecord;
  const time = formatTimeDouble(rec.time.sec, rec.time.nsec);
  return `${head},"time":${time},"metadata":${jsonValue(rec.metadata)},"record":${
    jsonValue(rec.body)
  }}`;
}
