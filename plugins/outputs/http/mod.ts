/**
 * The `http` output: POSTs each chunk to an HTTP endpoint as JSON, JSON lines, msgpack
 * or GELF (Fluent Bit's `out_http`), with the engine's retries and dead letters.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { httpOptions } from "./options.ts";

/** The http output plugin definition. */
export const plugin = defineOutput({
  name: "http",
  description: "HTTP Output",
  options: httpOptions,
  example: { options: { port: "${TEST_HTTP_PORT}" } },
  defaults: { workers: 2 },
  create: async (options, ctx) => (await import("./http.ts")).createHttpOutput(options, ctx),
});
