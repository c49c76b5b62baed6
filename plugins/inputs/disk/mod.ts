/** The `disk` input: bytes read and written per interval (Fluent Bit's `in_disk`). */
import { defineInput } from "../../../src/plugin.ts";
import { diskOptions } from "./options.ts";

/** The disk input plugin definition. */
export const plugin = defineInput({
  name: "disk",
  description: "Diskstats",
  options: diskOptions,
  example: {
    options: { interval_sec: 0, interval_nsec: 100_000_000 },
    feed: { kind: "interval", records: 2 },
  },
  create: async (options, ctx) => new (await import("./disk.ts")).DiskInput(options, ctx),
});
