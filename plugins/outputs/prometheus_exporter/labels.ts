/** The `add_label NAME VALUE` option, shared in meaning with prometheus_remote_write. */
import { OptionError } from "../../../src/plugin.ts";

/** `add_label` values as name/value pairs; OptionError for one without a value. */
export function parseAddLabels(values: readonly string[]): [string, string][] {
  return values.map((raw) => {
    const m = /^\s*(\S+)\s+(.*?)\s*$/.exec(raw);
    if (m === null) {
      throw new OptionError(
        "add_label",
        `'add_label' expects a key and a value, got ${
          JSON.stringify(raw)
        }: write add_label NAME VALUE`,
      );
    }
    return [m[1]!, m[2]!];
  });
}
