/**
 * The `http` input (Fluent Bit's `in_http`): log records POSTed as JSON (object, array of
 * objects, concatenated objects), form-urlencoded or msgpack, optionally gzip, deflate or
 * zstd, tagged from the URL path (`/app.log` is `app.log`, `/` the input's tag) or per record
 * by `tag_key`. A client gets `successful_response_code` only once the engine took the
 * records; 503 with Retry-After while the input is paused.
 *
 * Defined where Fluent Bit differs or is loose: a Content-Type with parameters
 * (`application/json; charset=utf-8`) is accepted; a non-map array element or a scalar body
 * is 400; an inflate failure is 400 instead of a dropped connection; msgpack is read.
 */
import { defineInput } from "../../../src/plugin.ts";
import { createHttpInput } from "./http.ts";
import { httpInputOptions } from "./options.ts";

/** The http input plugin definition. */
export const plugin = defineInput({
  name: "http",
  description: "HTTP",
  options: httpInputOptions,
  signals: ["logs"],
  create: (options, ctx) => createHttpInput(options, ctx),
});
