/**
 * The `multiline` filter: joins records whose text was split over several records
 * (stack traces, runtime-split lines) with multiline parsers, or by Docker's
 * `partial_message` markers. Buffered, it holds records across chunks and emits the
 * joined ones in place (Fluent Bit re-ingests them through an emitter input).
 */
import { defineFilter } from "../../../src/plugin.ts";
import { multilineOptions } from "./options.ts";

/** The multiline filter plugin. */
export const plugin = defineFilter({
  name: "multiline",
  description: "Concatenate multiline or stack trace log messages",
  options: multilineOptions,
  example: {
    options: { "multiline.parser": "java" },
    samples: {
      logs: [
        { log: 'Exception in thread "main" java.lang.IllegalStateException: boom' },
        { log: "    at com.example.App.run(App.java:12)" },
        { log: "    at com.example.App.main(App.java:5)" },
        { log: "next message" },
      ],
    },
  },
  create: async (values, ctx) => (await import("./multiline.ts")).createMultiline(values, ctx),
});
