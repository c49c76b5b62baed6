/**
 * Parsers: the `json`, `regex`, `ltsv` and `logfmt` formats, `time_format` (strptime
 * plus `%L`), field types and decoders, the built-in set, and the registry the engine
 * hands to inputs and filters.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { buildParserRegistry } from "./mod.ts";
 *
 * const parsers = buildParserRegistry([]);
 * assertEquals(parsers.get("json")?.parse('{"level":"info"}')?.body, { level: "info" });
 * ```
 */
export type { Parser, ParseResult, ParserRegistry } from "./types.ts";
export { noParsers } from "./types.ts";
export { buildParserRegistry, createParser, type RegistryOptions } from "./registry.ts";
export { BUILTIN_PARSERS, parserDefinition } from "./builtin.ts";
export { type DefinitionProblem, ParserDefinitionError, type ParserOptions } from "./definition.ts";
export { jsonParser } from "./json.ts";
export { regexParser } from "./regex.ts";
export { logfmtParser } from "./logfmt.ts";
export { ltsvParser } from "./ltsv.ts";
export { compileTimeFormat, type TimeFormat, type TimeFormatOptions } from "./time_format.ts";
export { castField, type FieldType, type FieldTypes, parseFieldTypes } from "./field_types.ts";
export { compileDecoders, type DecoderName, type Decoders } from "./decoders.ts";
export { compileOnigmo } from "./onigmo.ts";
