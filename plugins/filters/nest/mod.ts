/**
 * The `nest` filter: move top-level keys into a map (nest), or a map's keys up to the top
 * level (lift), as Fluent Bit's `filter_nest` does.
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { defineFilter } from "../../../src/plugin.ts";
import { applyNest, nestPlan } from "./nest.ts";
import { nestOptions } from "./options.ts";

/** The nest filter plugin. */
export const plugin = defineFilter({
  name: "nest",
  description: "Nest records under a key, or lift a map's keys to the top level",
  options: nestOptions,
  example: { options: { operation: "nest", wildcard: "m*", nest_under: "nested" } },
  create(values, ctx) {
    const plan = nestPlan(values);
    return {
      process(chunk: Chunk): Chunk {
        if (chunk.signal !== "logs") return chunk;
        let out: LogRecord[] | undefined;
        const records = chunk.records;
        for (let i = 0; i < records.length; i++) {
          const r = records[i]!;
          if (isGroupMarker(r)) continue;
          const body = applyNest(plan, r.body, ctx.log);
          if (body === undefined) continue;
          out ??= records.slice();
          out[i] = { ...r, body };
        }
        return out ? withRecords(chunk, out) : chunk;
      },
    };
  },
});
