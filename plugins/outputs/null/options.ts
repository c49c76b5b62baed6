/** The null output's option table: Fluent Bit's `out_null` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { JSON_DATE_FORMATS } from "../../../src/event/json_format.ts";

/** Every key of Fluent Bit's null output (besides the common output keys). */
export const nullOptions = {
  format: opt.choice(
    ["msgpack", "json", "json_lines", "json_stream"] as const,
    "msgpack",
    "Convert log records to this format before discarding them, to measure the cost: " +
      "msgpack (no conversion), json, json_lines or json_stream",
  ),
  json_date_format: opt.choice(
    JSON_DATE_FORMATS,
    "double",
    "Format of the date key when converting to JSON",
  ),
  json_date_key: opt.string(
    "date",
    "Name of the time key when converting to JSON; false (or off) leaves it out",
  ),
} satisfies OptionTable;

/** Parsed null output options. */
export type NullOptions = OptionValues<typeof nullOptions>;
