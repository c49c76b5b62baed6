/**
 * The `parser` filter: parse one field of each record (`key_name`) with named parsers,
 * tried in order. Records no parser matches pass through unchanged.
 */
import { opt } from "../../../src/config/options.ts";
import { defineFilter } from "../../../src/plugin.ts";
import type { Parser, ParserRegistry } from "../../../src/parsers/types.ts";
import { parseChunk } from "./parse_field.ts";

const options = {
  key_name: opt.string(undefined, "Field of the record to parse", { required: true }),
  parser: opt.multi("Parser to apply to key_name; may repeat, tried in order until one matches"),
  reserve_data: opt.bool(false, "Keep the record's other fields next to the parsed ones"),
  preserve_key: opt.bool(false, "Keep the key_name field itself in the parsed record"),
  unescape_key: opt.string(undefined, "Deprecated; accepted and ignored"),
};

/** The named parsers, in order; throws SyntaxError naming any the registry lacks. */
function lookupParsers(names: string[], registry: ParserRegistry): Parser[] {
  if (names.length === 0) {
    throw new SyntaxError('Missing "parser": name at least one parser for key_name');
  }
  const unknown = names.filter((n) => registry.get(n) === undefined);
  if (unknown.length > 0) {
    const known = registry.names();
    throw new SyntaxError(
      `Unknown parser ${unknown.map((n) => JSON.stringify(n)).join(", ")}: known parsers are ${
        known.length ? known.join(", ") : "none"
      }`,
    );
  }
  return names.map((n) => registry.get(n)!);
}

/** The parser filter plugin. */
export const plugin = defineFilter({
  name: "parser",
  description: "Parse a field of each record with named parsers",
  options,
  create(values, ctx) {
    if (values.unescape_key !== undefined) {
      ctx.log.warn("unescape_key is deprecated and has no effect");
    }
    const settings = {
      keyName: values.key_name!,
      parsers: lookupParsers(values.parser, ctx.parsers),
      reserveData: values.reserve_data,
      preserveKey: values.preserve_key,
    };
    return { process: (chunk) => parseChunk(chunk, settings) };
  },
});
