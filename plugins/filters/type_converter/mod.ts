/**
 * The `type_converter` filter: append a copy of a field converted to another type, as Fluent
 * Bit's `filter_type_converter` does.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { mapLogBodies } from "../../../src/event/map_bodies.ts";
import { defineFilter } from "../../../src/plugin.ts";
import { typeConverterOptions } from "./options.ts";

/** The type_converter filter plugin. */
export const plugin = defineFilter({
  name: "type_converter",
  description: "Append copies of fields converted to another type",
  options: typeConverterOptions,
  example: { options: { str_key: "message message_len int" } },
  async create(values, ctx) {
    const { compileRules, convertBody } = await import("./type_converter.ts");
    const rules = compileRules(values, ctx.log);
    const labels = { name: ctx.name };
    const failed = ctx.metrics.counter(
      "sluice_filter_type_converter_errors_total",
      "Conversions type_converter could not make (the original value was appended).",
    );
    failed.touch(labels);
    const errors = { log: ctx.log, count: () => failed.inc(labels), logged: new Set<string>() };
    const convert = (body: RecordMap) => convertBody(rules, body, errors);
    return {
      process(chunk: Chunk): Chunk {
        return mapLogBodies(chunk, convert);
      },
    };
  },
});
