/** The tcp output's option table: Fluent Bit's `out_tcp` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { JSON_DATE_FORMATS } from "../../../src/event/json_format.ts";
import { netClientOptions, tlsClientOptions } from "../../../src/net/options.ts";
import { STREAM_OUTPUT_FORMATS } from "./payload.ts";

/** The keys the tcp and udp outputs share. */
export const streamOutputOptions = {
  host: opt.string("127.0.0.1", "IP address or host name of the receiver"),
  port: opt.int(5170, "Port of the receiver", {
    check: (v) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`,
  }),
  json_date_key: opt.string(
    "date",
    "Name of the time key in JSON records; false (or off) leaves it out",
  ),
  json_date_format: opt.choice(
    JSON_DATE_FORMATS,
    "double",
    "Format of the date key: double, epoch, epoch_ms, iso8601 or java_sql_timestamp",
  ),
  raw_message_key: opt.string(
    undefined,
    "Send only this record key's value, one per line, instead of the formatted record",
  ),
} satisfies OptionTable;

/** Every key of Fluent Bit's tcp output besides the common output keys. */
export const tcpOutputOptions = {
  ...streamOutputOptions,
  format: opt.choice(
    STREAM_OUTPUT_FORMATS,
    "msgpack",
    "Payload: msgpack (v2 records), json (an array), json_lines or json_stream",
  ),
  ...tlsClientOptions,
  "net.connect_timeout": netClientOptions["net.connect_timeout"],
} satisfies OptionTable;

/** Parsed tcp output options. */
export type TcpOutputOptions = OptionValues<typeof tcpOutputOptions>;
