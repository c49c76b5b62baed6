/** The parser filter's option table: Fluent Bit's `filter_parser` keys and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's parser filter (besides the common filter keys). */
export const parserOptions = {
  key_name: opt.string(undefined, "Field of the record to parse", { required: true }),
  parser: opt.multi("Parser to apply to key_name; may repeat, tried in order until one matches"),
  reserve_data: opt.bool(false, "Keep the record's other fields next to the parsed ones"),
  preserve_key: opt.bool(false, "Keep the key_name field itself in the parsed record"),
  unescape_key: opt.string(undefined, "Deprecated; accepted and ignored"),
} satisfies OptionTable;

/** Parsed parser filter options. */
export type ParserOptions = OptionValues<typeof parserOptions>;
