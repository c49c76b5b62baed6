/**
 * The `http` output: POSTs each chunk to an HTTP endpoint as JSON, JSON lines, msgpack
 * or GELF (Fluent Bit's `out_http`), with the engine's retries and dead letters.
 */
import { defineOutput } from "../../../src/engine/plugin.ts";
import { createHttpOutput } from "./http_output.ts";
import { httpOptions } from "./options.ts";

/** The http output plugin definition. */
export const plugin = defineOutput({
  name: "http",
  kind: "output",
  description: "HTTP Output",
  options: httpOptions,
  create: (options, ctx) => createHttpOutput(options, ctx),
});
