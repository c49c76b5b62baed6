/**
 * The splunk output's option table: the HTTP client's connection, TLS, `net.*` and
 * Basic-auth keys (`src/net/http_client`) with HEC's port, and Fluent Bit's `out_splunk`
 * keys. `uri`, `header` and `proxy` are left out: Fluent Bit's splunk output has none.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { httpClientOptions } from "../../../src/net/http_client/mod.ts";

const { uri: _uri, header: _header, proxy: _proxy, ...client } = httpClientOptions;

/** Every key of Fluent Bit's splunk output (besides the common output keys). */
export const splunkOptions = {
  ...client,
  port: { ...httpClientOptions.port, default: 8088 },
  compress: opt.string(undefined, "Compress request bodies: gzip", { choices: ["gzip", "none"] }),
  splunk_token: opt.string(
    undefined,
    "HEC token, sent as `Authorization: Splunk <token>` (required unless http_user is set)",
  ),
  http_buffer_size: opt.size(undefined, "Most bytes of HEC's answer kept for messages"),
  http_debug_bad_request: opt.bool(false, "Print the request and answer of a 400 to stdout"),
  event_key: opt.string(undefined, "Record accessor ($key) of the value sent as the event"),
  event_host: opt.string(undefined, "The event's host (a template with record accessors)"),
  event_source: opt.string(undefined, "The event's source (a template with record accessors)"),
  event_sourcetype: opt.string(undefined, "The event's sourcetype"),
  event_sourcetype_key: opt.string(
    undefined,
    "Record accessor whose value is the sourcetype (wins over event_sourcetype)",
  ),
  event_index: opt.string(undefined, "The index the events go to"),
  event_index_key: opt.string(
    undefined,
    "Record accessor whose value is the index (wins over event_index)",
  ),
  event_field: opt.multi("An indexed field: `name $record_accessor`; may repeat"),
  splunk_send_raw: opt.bool(
    false,
    "Send each record as it is at the top level (it must hold `event` and may hold time, " +
      "host, source, sourcetype, index, fields) instead of under `event`",
  ),
  auto_extract_timestamp: opt.bool(
    false,
    "Let Splunk take the time from the event (no `time` key, ?auto_extract_timestamp=true); " +
      "from Fluent Bit 4.3, not in 4.2.8",
  ),
  channel: opt.string(undefined, "X-Splunk-Request-Channel header value"),
} satisfies OptionTable;

/** Parsed splunk output options. */
export type SplunkOptions = OptionValues<typeof splunkOptions>;
