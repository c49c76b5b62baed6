/** The stdout output's option table: Fluent Bit's `out_stdout` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { JSON_DATE_FORMATS } from "../../../src/event/json_format.ts";

/** The `format` values of Fluent Bit's stdout output. */
export const STDOUT_FORMATS = [
  "msgpack",
  "json",
  "json_lines",
  "json_stream",
  "otlp_json",
  "otlp_json_pretty",
] as const;

/** Every key of Fluent Bit's stdout output (besides the common output keys). */
export const stdoutOptions = {
  format: opt.choice(
    STDOUT_FORMATS,
    "msgpack",
    "Data format to print: msgpack (Fluent Bit's readable form), json, json_lines, " +
      "json_stream, otlp_json or otlp_json_pretty",
  ),
  json_date_format: opt.choice(
    JSON_DATE_FORMATS,
    "double",
    "Format of the date key: double, epoch, epoch_ms, iso8601 " +
      "(2018-05-30T09:39:52.000681Z) or java_sql_timestamp (2018-05-30 09:39:52.000681)",
  ),
  json_date_key: opt.string(
    "date",
    "Name of the time key in JSON records; false (or off) leaves it out",
  ),
} satisfies OptionTable;

/** Parsed stdout output options. */
export type StdoutOptions = OptionValues<typeof stdoutOptions>;
