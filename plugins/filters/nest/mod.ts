/**
 * The `nest` filter: move top-level keys into a map (nest), or a map's keys up to the top
 * level (lift), as Fluent Bit's `filter_nest` does.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { mapLogBodies } from "../../../src/event/map_bodies.ts";
import { defineFilter } from "../../../src/plugin.ts";
import { nestOptions } from "./options.ts";

/** The nest filter plugin. */
export const plugin = defineFilter({
  name: "nest",
  description: "Nest records under a key, or lift a map's keys to the top level",
  options: nestOptions,
  example: { options: { operation: "nest", wildcard: "m*", nest_under: "nested" } },
  async create(values, ctx) {
    const { applyNest, nestPlan } = await import("./nest.ts");
    const plan = nestPlan(values);
    const apply = (body: RecordMap) => applyNest(plan, body, ctx.log);
    return {
      process(chunk: Chunk): Chunk {
        return mapLogBodies(chunk, apply);
      },
    };
  },
});
