/** The labels processor's option table: Fluent Bit's `processor_labels` keys. */
import {
  opt,
  type OptionSpec,
  type OptionTable,
  type OptionValues,
} from "../../../src/config/options.ts";
import { parseLabelValue } from "./label_value.ts";

/** A repeatable key whose every value `parse` reads at config time. */
function repeated<T>(
  parse: (raw: unknown) => T,
  shows: string,
  description: string,
): OptionSpec<T[]> {
  const spec = opt.custom(parse, undefined, description, { multiple: true, shows });
  return { ...spec, default: [], showsDefault: "none" } as unknown as OptionSpec<T[]>;
}

/** Every key of the labels processor (besides the common processor keys). */
export const labelsOptions = {
  update: repeated(
    (raw) => parseLabelValue("update", raw),
    "NAME VALUE",
    "`NAME VALUE`: set the label where a series has it",
  ),
  insert: repeated(
    (raw) => parseLabelValue("insert", raw),
    "NAME VALUE",
    "`NAME VALUE`: add the label where a series lacks it",
  ),
  upsert: repeated(
    (raw) => parseLabelValue("upsert", raw),
    "NAME VALUE",
    "`NAME VALUE`: set the label, adding it where missing (VALUE may hold $TAG or $TAG[n])",
  ),
  delete: opt.multi("`NAME`: remove the label from every series"),
  hash: opt.multi(
    "`NAME`: replace the label's value by its SHA-256 hex digest (empty stays empty)",
  ),
} satisfies OptionTable;

/** Parsed labels processor options. */
export type LabelsOptions = OptionValues<typeof labelsOptions>;
