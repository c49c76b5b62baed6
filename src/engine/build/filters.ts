/**
 * Builds the filters: each plugin instance as a transform stage that takes the chunks of
 * its signals whose tag its matcher takes, with Fluent Bit's filter record counters.
 */
import type { BuiltFilter } from "../built.ts";
import { signalsOf } from "../../plugin.ts";
import { compileTagMatcher } from "../router.ts";
import { transformStage } from "../stages.ts";
import type { BuildSession } from "./session.ts";

/** Creates every filter of the session's config, in config order. */
export async function buildFilters(session: BuildSession): Promise<BuiltFilter[]> {
  const { config, deps } = session;
  const built: BuiltFilter[] = [];
  for (const f of config.filters) {
    const ctx = session.context("filter", f.plugin.name, f.name, f.common.log_level);
    const inst = await session.create(
      f,
      `filter "${f.name}"`,
      () => f.plugin.create(f.options, ctx),
    );
    if (!inst) continue;
    if (inst.close) session.closers.push(() => inst.close!());
    const labels = { name: f.name };
    const m = deps.metrics;
    const recordsIn = m.counter("fluentbit_filter_records_total", "Records into a filter.");
    const drops = m.counter("fluentbit_filter_drop_records_total", "Records a filter dropped.");
    const adds = m.counter("fluentbit_filter_added_records_total", "Records a filter added.");
    for (const c of [recordsIn, drops, adds]) c.touch(labels);
    const stage = transformStage(inst, {
      signals: signalsOf(f.plugin),
      matcher: compileTagMatcher({ match: f.common.match, matchRegex: f.common.match_regex }),
      log: ctx.log,
      count(before, after) {
        recordsIn.inc(labels, before);
        if (after < before) drops.inc(labels, before - after);
        else if (after > before) adds.inc(labels, after - before);
      },
    });
    built.push({ name: f.name, stage });
  }
  return built;
}
