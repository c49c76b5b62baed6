/**
 * Test helpers for this folder: the plugin created from option values, and log and
 * trace chunks built directly (OTLP groups included).
 */
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { Ack } from "../../../src/event/ack.ts";
import { testSpan } from "../../../src/testing/spans.ts";
import { Logger, memorySink } from "../../../src/engine/log.ts";
import type { Chunk, LogChunk, TraceChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import {
  GROUP_END,
  GROUP_START,
  type LogRecord,
  type RecordMap,
} from "../../../src/event/log_record.ts";
import type { Span } from "../../../src/event/span.ts";
import { buildParserRegistry } from "../../../src/parsers/mod.ts";
import { createContentModifier } from "./content_modifier.ts";
import type { ContentModifierOptions } from "./options.ts";

/** The plugin's process step for `values` (keys as in YAML), and its log lines. */
export function modifier(
  values: Record<string, string>,
): { process: (c: Chunk) => Chunk; lines: string[] } {
  const sink = memorySink();
  // The implementation directly: the plugin's create imports it lazily, so it is async.
  const inst = createContentModifier(
    values as unknown as ContentModifierOptions,
    testFilterContext({
      name: "content_modifier.0",
      log: new Logger({ sink }),
      parsers: buildParserRegistry([]),
    }),
  ) as { process: (c: Chunk) => Chunk };
  return { process: (c) => inst.process(c), lines: sink.lines };
}

/** A log record with `body` and `metadata`. */
export function record(body: RecordMap, metadata: RecordMap = {}): LogRecord {
  return { time: new EventTime(1_700_000_000, 0), metadata, body };
}

/** A GROUP_START record with this body. */
export function groupStart(body: RecordMap): LogRecord {
  return { time: GROUP_START, metadata: { schema: "otlp", resource_id: 0, scope_id: 0 }, body };
}

/** A GROUP_END record. */
export function groupEnd(): LogRecord {
  return { time: GROUP_END, metadata: {}, body: {} };
}

/** A log chunk of `records`. */
export function logChunk(records: LogRecord[]): LogChunk {
  return { signal: "logs", tag: "t", input: "in.0", bytes: 100, ack: new Ack(), records };
}

/** A span with the given parts, everything else empty (the shared test builder). */
export function span(init: Partial<Span> = {}): Span {
  return testSpan(init);
}

/** A trace chunk of `spans`. */
export function traceChunk(spans: Span[]): TraceChunk {
  return { signal: "traces", tag: "t", input: "in.0", bytes: 100, ack: new Ack(), records: spans };
}
