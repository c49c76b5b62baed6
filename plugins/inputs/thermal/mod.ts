/** The `thermal` input: temperatures of thermal zones or hwmon sensors (Fluent Bit's `in_thermal`). */
import { defineInput } from "../../../src/plugin.ts";
import { thermalOptions } from "./options.ts";

/** The thermal input plugin definition. */
export const plugin = defineInput({
  name: "thermal",
  description: "Thermal",
  options: thermalOptions,
  example: {
    options: { interval_sec: 0, interval_nsec: 100_000_000 },
    feed: { kind: "interval", records: 0 },
  },
  create: async (options, ctx) => new (await import("./thermal.ts")).ThermalInput(options, ctx),
});
