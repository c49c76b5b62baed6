/** The `proc` input: liveness, memory and descriptors of one process (Fluent Bit's `in_proc`). */
import { defineInput, OptionError } from "../../../src/plugin.ts";
import { procOptions } from "./options.ts";

/** The proc input plugin definition. */
export const plugin = defineInput({
  name: "proc",
  description: "Check Process health",
  options: procOptions,
  notes: [
    "a process that is not running reports its mem.* fields as 0 (Fluent Bit 4.2.8 sends " +
    "uninitialised memory there)",
  ],
  example: {
    options: { proc_name: "no-such-process-sluice", interval_sec: 0, interval_nsec: 100_000_000 },
    feed: { kind: "interval", records: 2 },
  },
  create: async (options, ctx) => {
    const name = options.proc_name;
    if (!name) {
      throw new OptionError("proc_name", "'proc_name' is not set: name the process to watch");
    }
    return new (await import("./proc.ts")).ProcInput({ ...options, proc_name: name }, ctx);
  },
});
