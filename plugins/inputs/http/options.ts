/**
 * The http input's option table: Fluent Bit's `in_http` keys and the shared HTTP listener
 * keys of `src/net/http_server` (listen, TLS, limits, timeouts, auth).
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { httpServerOptions } from "../../../src/net/http_server/mod.ts";

/** Every key of the http input besides the common input keys. */
export const httpInputOptions = {
  ...httpServerOptions(9880),
  tag_key: opt.string(
    undefined,
    "Record accessor; a record with a string there is tagged with it (sanitized)",
  ),
  successful_response_code: opt.int(
    201,
    "Status of a successful request: 200, 201 or 204 (others: 201, with an error logged)",
  ),
  success_header: opt.multi("`NAME VALUE` header added to successful responses; repeatable"),
} satisfies OptionTable;

/** Parsed http input options. */
export type HttpInputOptions = OptionValues<typeof httpInputOptions>;
