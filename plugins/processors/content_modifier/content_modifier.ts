/** The content_modifier processor's step: its one action applied to logs or traces in place. */
import type { Chunk } from "../../../src/event/chunk.ts";
import type { PluginContext, TransformInstance } from "../../../src/plugin.ts";
import { compileModifier } from "./compile.ts";
import { modifyLogs } from "./logs.ts";
import type { ContentModifierOptions } from "./options.ts";
import { traceModifier } from "./traces.ts";

/** The content_modifier step for parsed `values`; throws RangeError on a bad combination. */
export function createContentModifier(
  values: ContentModifierOptions,
  ctx: PluginContext,
): TransformInstance {
  const m = compileModifier(values);
  const traces = m.traces ? traceModifier(m) : undefined;
  return {
    process(chunk: Chunk): Chunk {
      if (chunk.signal === "logs") {
        if (m.logs) modifyLogs(chunk, { context: m.logs, op: m.op });
        else ctx.log.once("warn", "logs", `context ${values.context} does not apply to logs`);
      } else if (chunk.signal === "traces") {
        if (traces) traces(chunk);
        else ctx.log.once("warn", "traces", `context ${values.context} does not apply to traces`);
      }
      return chunk;
    },
  };
}
