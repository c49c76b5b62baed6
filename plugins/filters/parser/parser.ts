/**
 * The `parser` filter's work on one chunk: parse the `key_name` field of each log
 * record with the first parser that matches, and build the new body from the parsed
 * fields plus, as configured, the original key and the record's other fields.
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { setField } from "../../../src/parsers/field_types.ts";
import type { Parser, ParserRegistry } from "../../../src/parsers/types.ts";
import type { PluginContext, TransformInstance } from "../../../src/plugin.ts";
import type { ParserOptions } from "./options.ts";

/** How the filter builds a parsed record. */
export interface ParseFieldOptions {
  /** The field holding the text to parse. */
  keyName: string;
  /** Tried in order; the first that matches wins. */
  parsers: readonly Parser[];
  /** Keep the record's other fields after the parsed ones. */
  reserveData: boolean;
  /** Keep the `key_name` field itself. */
  preserveKey: boolean;
}

const decoder = new TextDecoder();

/**
 * The record with its `key_name` field parsed, or the same record when the field is
 * missing, not text, or no parser matches. The parsed time replaces the record's time
 * when the parser found one. On a key present in both, the parsed value wins.
 *
 * @example
 * ```ts
 * import { logRecord } from "../../../src/event/log_record.ts";
 * import { parserDefinition } from "../../../src/parsers/builtin.ts";
 * import { createParser } from "../../../src/parsers/registry.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const json = createParser(parserDefinition({ name: "json", format: "json" }));
 * const record = logRecord({ log: '{"level":"warn"}', host: "web-1" });
 * const parsed = parseRecord(record, {
 *   keyName: "log",
 *   parsers: [json],
 *   reserveData: true,
 *   preserveKey: false,
 * });
 * assertEquals(parsed.body, { level: "warn", host: "web-1" });
 * ```
 */
export function parseRecord(record: LogRecord, options: ParseFieldOptions): LogRecord {
  const raw = record.body[options.keyName];
  const text = typeof raw === "string"
    ? raw
    : raw instanceof Uint8Array
    ? decoder.decode(raw)
    : null;
  if (text === null) return record;
  for (const parser of options.parsers) {
    const result = parser.parse(text);
    if (result === null) continue;
    const body = result.body;
    if (options.reserveData) {
      for (const key in record.body) {
        if (key === options.keyName && !options.preserveKey) continue;
        if (!Object.hasOwn(body, key)) setField(body, key, record.body[key]);
      }
    } else if (options.preserveKey && !Object.hasOwn(body, options.keyName)) {
      setField(body, options.keyName, raw);
    }
    return { time: result.time ?? record.time, metadata: record.metadata, body };
  }
  return record;
}

/**
 * The chunk with every log record parsed; the same chunk object when nothing changed.
 * Group markers and other signals pass through untouched.
 */
export function parseChunk(chunk: Chunk, options: ParseFieldOptions): Chunk {
  if (chunk.signal !== "logs") return chunk;
  const records = chunk.records;
  let out: LogRecord[] | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const next = isGroupMarker(r) ? r : parseRecord(r, options);
    if (out === undefined && next !== r) out = records.slice(0, i);
    out?.push(next);
  }
  return out === undefined ? chunk : withRecords(chunk, out);
}

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

/** The parser step for parsed `values`; throws SyntaxError naming unknown parsers. */
export function createParser(values: ParserOptions, ctx: PluginContext): TransformInstance {
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
}
