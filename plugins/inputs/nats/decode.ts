/**
 * NATS message payloads to records: Fluent Bit's `out_nats` JSON (`[[time, {"tag": ..,
 * ...}], ...]`), plain JSON (an object, an array of objects, or one object a line), and the
 * OTLP protobuf spans and metrics of sluice's nats output (marked by a `Sluice-Signal`
 * header).
 */
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import type { Span } from "../../../src/event/span.ts";
import { decodeMetrics, decodeTraces } from "../../../src/otlp/mod.ts";

/** A decoded message: its signal, its tag when the payload names one, and its records. */
export type Decoded =
  | { signal: "logs"; tag?: string; records: LogRecord[] }
  | { signal: "traces"; records: Span[] }
  | { signal: "metrics"; records: MetricRecord[] };

const utf8 = new TextDecoder();

function isMap(v: unknown): v is RecordMap {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * The records of one message; throws SyntaxError (or the OTLP decoder's error) when the
 * payload is neither.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { EventTime } from "../../../src/event/event_time.ts";
 *
 * const got = decodeMessage(
 *   new TextEncoder().encode('[[1700000000.5,{"tag":"app","m":"x"}]]'),
 *   { signal: undefined, useTag: true, now: new EventTime(1, 0) },
 * );
 * assertEquals(got.signal === "logs" && [got.tag, got.records[0]!.body], ["app", { m: "x" }]);
 * ```
 */
export function decodeMessage(
  payload: Uint8Array,
  options: { signal: string | undefined; useTag: boolean; now: EventTime },
): Decoded {
  if (options.signal === "traces") {
    return { signal: "traces", records: decodeTraces(payload, "protobuf") };
  }
  if (options.signal === "metrics") {
    return { signal: "metrics", records: decodeMetrics(payload, "protobuf") };
  }
  const text = utf8.decode(payload);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // One JSON object a line.
    const lines = text.split("\n").filter((l) => l.trim().length > 0);
    if (lines.length < 2) throw e;
    value = lines.map((l) => JSON.parse(l));
  }
  if (isMap(value)) return { signal: "logs", records: [plain(value, options.now)] };
  if (!Array.isArray(value)) throw new SyntaxError("expected a JSON object or array");
  const records: LogRecord[] = [];
  let tag: string | undefined;
  for (const item of value) {
    if (Array.isArray(item) && item.length === 2 && typeof item[0] === "number" && isMap(item[1])) {
      const body = item[1];
      if (options.useTag && typeof body.tag === "string") {
        tag ??= body.tag;
        delete body.tag;
      }
      records.push({ time: EventTime.fromSeconds(item[0]), metadata: {}, body });
    } else if (isMap(item)) {
      records.push(plain(item, options.now));
    } else {
      throw new SyntaxError(
        `expected [time, record] pairs or objects, got ${JSON.stringify(item)}`,
      );
    }
  }
  return { signal: "logs", tag, records };
}

function plain(body: RecordMap, now: EventTime): LogRecord {
  return { time: now, metadata: {}, body };
}
