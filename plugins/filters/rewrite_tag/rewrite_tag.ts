/**
 * The rewrite_tag filter's step: the first rule whose key matches emits the record again
 * under its new tag, through the filter's emitter input, so it goes through the pipeline from
 * the start; the original stays in the chunk when the rule says keep. The original chunk's
 * ack is held until every emitted copy is settled. A record that this filter emitted before
 * and that comes back to it and matches again (a loop) is not emitted again: it goes on under
 * its current tag, counted and logged once.
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { sampleText } from "../../../src/event/sample_text.ts";
import type { Emitter, PluginContext, TransformInstance } from "../../../src/plugin.ts";
import { compileRule, matchRule, type RewriteRule } from "./rules.ts";
import type { RewriteTagOptions } from "./options.ts";

/** Creates the filter: its rules, its emitter input and its counters. */
export function createRewriteTag(o: RewriteTagOptions, ctx: PluginContext): TransformInstance {
  const rules = o.rule.map(compileRule);
  if (rules.length === 0) ctx.log.warn("no rules have defined");
  const emitter = ctx.emitters.open({
    name: o.emitter_name ?? `emitter_for_${ctx.name}`,
    memBufLimit: o.emitter_mem_buf_limit,
    storageType: o["emitter_storage.type"],
  });
  if (o["emitter_storage.type"] === "filesystem" && ctx.settings.storagePath === undefined) {
    ctx.log.warn(
      `emitter_storage.type filesystem needs the service's storage.path; ${emitter.name} buffers in memory`,
    );
  }
  const labels = { name: ctx.name };
  const emitted = ctx.metrics.counter(
    "fluentbit_filter_emit_records_total",
    "Total number of emitted records",
  );
  const loops = ctx.metrics.counter(
    "sluice_filter_rewrite_tag_loop_records_total",
    "Records rewrite_tag did not emit again because it had emitted them before (a loop).",
  );
  emitted.touch(labels);
  loops.touch(labels);
  return {
    process(chunk: Chunk): Chunk {
      if (chunk.signal !== "logs" || rules.length === 0) return chunk;
      return rewrite(chunk, { rules, emitter, ctx, emitted, loops, labels });
    },
  };
}

interface Step {
  rules: readonly RewriteRule[];
  emitter: Emitter;
  ctx: PluginContext;
  emitted: { inc(labels: Record<string, string>, n?: number): void };
  loops: { inc(labels: Record<string, string>, n?: number): void };
  labels: Record<string, string>;
}

function firstMatch(rules: readonly RewriteRule[], r: LogRecord) {
  for (const rule of rules) {
    const groups = matchRule(rule, r.body);
    if (groups) return { rule, groups };
  }
  return undefined;
}

function rewrite(chunk: Chunk & { signal: "logs" }, s: Step): Chunk {
  const records = chunk.records;
  const looped = s.emitter.emitted(chunk);
  if (looped) return stopLoop(chunk, s);
  let drop: boolean[] | undefined;
  const byTag = new Map<string, { records: LogRecord[]; at: number[] }>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (isGroupMarker(r)) continue;
    const m = firstMatch(s.rules, r);
    if (!m) continue;
    const tag = m.rule.tag.render(chunk.tag, r.body, m.groups);
    let group = byTag.get(tag);
    if (!group) byTag.set(tag, group = { records: [], at: [] });
    // A kept original and its copy go separate ways: the copy gets bodies of its own.
    group.records.push(m.rule.keep ? copyRecord(r) : r);
    if (!m.rule.keep) {
      drop ??= new Array<boolean>(records.length).fill(false);
      drop[i] = true;
      group.at.push(i);
    }
  }
  let count = 0;
  for (const [tag, group] of byTag) {
    if (s.emitter.emit(chunk, tag, group.records)) count += group.records.length;
    else for (const i of group.at) drop![i] = false; // not taken: the original stays
  }
  if (count > 0) s.emitted.inc(s.labels, count);
  if (!drop) return chunk;
  const kept = records.filter((_, i) => !drop![i]);
  return kept.length === records.length ? chunk : withRecords(chunk, kept);
}

/**
 * A chunk this filter emitted before: the records a rule matches again go on under their
 * current tag, counted, and the first one is logged (once per filter) as a sample.
 */
function stopLoop(chunk: Chunk & { signal: "logs" }, s: Step): Chunk {
  let count = 0;
  for (const r of chunk.records) {
    if (isGroupMarker(r)) continue;
    const m = firstMatch(s.rules, r);
    if (!m) continue;
    if (count++ > 0) continue;
    const tag = m.rule.tag.render(chunk.tag, r.body, m.groups);
    s.ctx.log.once(
      "error",
      "loop",
      `rule "${m.rule.text}" matched a record this filter already emitted (tag "${chunk.tag}" ` +
        `would become "${tag}" again): loop stopped, the record goes on under tag ` +
        `"${chunk.tag}" without being emitted again; such records are counted in ` +
        `sluice_filter_rewrite_tag_loop_records_total. Sample: ${sampleText(r.body)}`,
    );
  }
  if (count > 0) s.loops.inc(s.labels, count);
  return chunk;
}

function copyRecord(r: LogRecord): LogRecord {
  return { time: r.time, metadata: structuredClone(r.metadata), body: structuredClone(r.body) };
}
