/** The type_converter filter's option table: Fluent Bit's `filter_type_converter` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

const rule = (from: string) =>
  opt.multi(`Convert a ${from} field: \`FROM_KEY TO_KEY TYPE\`, the copy appended as TO_KEY`);

/** Every key of Fluent Bit's type_converter filter (besides the common filter keys). */
export const typeConverterOptions = {
  int_key: rule("signed integer"),
  uint_key: rule("unsigned integer"),
  float_key: rule("float"),
  str_key: rule("string"),
} satisfies OptionTable;

/** Parsed type_converter filter options. */
export type TypeConverterOptions = OptionValues<typeof typeConverterOptions>;
