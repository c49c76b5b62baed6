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
import { httpInputOptions } from "./options.ts";

/** The http input plugin definition. */
export const plugin = defineInput({
  name: "http",
  description: "HTTP",
  options: httpInputOptions,
  signals: ["logs"],
  example: {
    options: { listen: "127.0.0.1", port: 0 },
    feed: {
      kind: "http",
      records: 3,
      requests: [
        { path: "/app.log", contentType: "application/json", body: '[{"a":1},{"a":2}]' },
        { path: "/", contentType: "application/x-www-form-urlencoded", body: "a=1&b=2" },
      ],
    },
  },
  create: async (options, ctx) => (await import("./http.ts")).createHttpInput(options, ctx),
});
