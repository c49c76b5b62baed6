/**
 * The `multiline` filter: joins records whose text was split over several records
 * (stack traces, runtime-split lines) with multiline parsers, or by Docker's
 * `partial_message` markers. Buffered, it holds records across chunks and emits the
 * joined ones in place (Fluent Bit re-ingests them through an emitter input).
 */
import { opt } from "../../../src/config/options.ts";
import { defineFilter, OptionError } from "../../../src/plugin.ts";
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { MultilineAssembler } from "../../../src/multiline/mod.ts";
import { PartialJoiner } from "./partial.ts";
import { multilineStage, type Source } from "./stage.ts";

const options = {
  "multiline.parser": opt.list(
    [],
    "Multiline parsers tried in order, e.g. `go, java` or a multiline_parsers name (mode parser)",
  ),
  "multiline.key_content": opt.string("log", "Field holding the text to join"),
  mode: opt.choice(
    ["parser", "partial_message"] as const,
    "parser",
    "parser joins with multiline parsers; partial_message joins records split by the " +
      "container runtime (partial_message, partial_id, partial_last)",
  ),
  buffer: opt.bool(
    true,
    "Hold records across chunks until their message is complete or flush_ms passes; " +
      "off joins within each chunk only",
  ),
  flush_ms: opt.int(2000, "Milliseconds after its last line an unfinished message is flushed", {
    check: (v) => (v !== undefined && v <= 0 ? "expected milliseconds above 0" : undefined),
  }),
  debug_flush: opt.bool(false, "Accepted for compatibility"),
  emitter_name: opt.string(
    undefined,
    "Accepted for compatibility: joined records are emitted in place, not re-ingested",
  ),
  "emitter_storage.type": opt.choice(
    ["memory", "filesystem"] as const,
    "memory",
    "Accepted for compatibility",
  ),
  emitter_mem_buf_limit: opt.size(10_000_000, "Accepted for compatibility"),
};

/** Joins within one chunk only (`buffer off`): nothing is held between chunks. */
function joinChunk(asm: MultilineAssembler, chunk: Chunk, onTruncated: (n: number) => void): Chunk {
  if (chunk.signal !== "logs") return chunk;
  const out: LogRecord[] = [];
  let truncated = 0;
  for (const r of chunk.records) {
    for (const m of asm.push("chunk", r)) {
      out.push(m.record);
      if (m.truncated) truncated++;
    }
  }
  for (const m of asm.flush("chunk")) {
    out.push(m.record);
    if (m.truncated) truncated++;
  }
  if (truncated > 0) onTruncated(truncated);
  return withRecords(chunk, out);
}

/** The multiline filter plugin. */
export const plugin = defineFilter({
  name: "multiline",
  description: "Concatenate multiline or stack trace log messages",
  options,
  create(values, ctx) {
    const keyContent = values["multiline.key_content"];
    const flushMs = values.flush_ms;
    const labels = { name: ctx.name };
    const emitted = ctx.metrics.counter(
      "fluentbit_filter_emit_records_total",
      "Total number of emitted records",
    );
    const truncated = ctx.metrics.counter(
      "fluentbit_filter_emit_truncated_total",
      "Total number of truncated occurence of multiline",
    );
    truncated.touch(labels);
    const onEmit = (records: number, cut: number) => {
      emitted.inc(labels, records);
      if (cut > 0) truncated.inc(labels, cut);
    };
    if (values.mode === "partial_message") {
      if (!values.buffer) ctx.log.warn('mode partial_message always buffers; "buffer off" ignored');
      emitted.touch(labels);
      const joiner = new PartialJoiner<Source>(keyContent, { flushMs, now: () => ctx.clock.now() });
      return { stage: multilineStage(joiner, { onEmit, clock: ctx.clock }) };
    }
    const names = values["multiline.parser"];
    if (names.length === 0) {
      throw new OptionError(
        "multiline.parser",
        'Cannot use the multiline filter: mode parser needs "multiline.parser", e.g. java',
      );
    }
    const registry = ctx.multiline;
    if (!values.buffer) {
      const asm = registry.assembler(names, { keyContent, flushMs: 0 });
      return { process: (chunk) => joinChunk(asm, chunk, (n) => truncated.inc(labels, n)) };
    }
    emitted.touch(labels);
    const asm = registry.assembler<Source>(names, {
      keyContent,
      flushMs,
      now: () => ctx.clock.now(),
    });
    return { stage: multilineStage(asm, { onEmit, clock: ctx.clock }) };
  },
});
