/**
 * The `cpu` input: CPU usage of the system, each CPU, or one process, every interval
 * (Fluent Bit's `in_cpu`, the first input of its default config).
 */
import { defineInput } from "../../../src/plugin.ts";
import { cpuOptions } from "./options.ts";

/** The cpu input plugin definition. */
export const plugin = defineInput({
  name: "cpu",
  description: "CPU Usage",
  options: cpuOptions,
  example: {
    options: { interval_nsec: 100_000_000, interval_sec: 0 },
    feed: { kind: "interval", records: 2 },
  },
  create: async (options, ctx) => new (await import("./cpu.ts")).CpuInput(options, ctx),
});
