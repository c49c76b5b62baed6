/**
 * The stdout output's stage: renders each chunk to one buffer and writes it with one
 * write (looping on partial writes). Logs use `format`; traces are printed as one JSON line
 * per span; metrics in cmetrics' text format, as Fluent Bit's stdout prints them.
 */
import { RetryableError } from "../../../src/engine/errors.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import { type ByteWriter, writeAll } from "../../../src/engine/write_all.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import {
  formatJsonRecords,
  type JsonRecordsFormat,
  parseDateKey,
} from "../../../src/event/json_format.ts";
import { encodeJsonText, telemetryJson } from "../../../src/event/json_value.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import type { StdoutOptions } from "./options.ts";
import { formatReadableRecords } from "./readable_format.ts";
import { metricsText } from "../../../src/metrics/text.ts";

/** What the stdout output writes to; tests pass their own writer. */
export interface StdoutDeps {
  /** Defaults to `Deno.stdout`. */
  writer?: ByteWriter;
}

const encoder = new TextEncoder();

/** A stdout output instance for parsed `options`. */
export function createStdoutOutput(
  options: StdoutOptions,
  ctx: PluginContext,
  deps: StdoutDeps = {},
): OutputInstance {
  const given = options.format;
  if (given === "otlp_json" || given === "otlp_json_pretty") {
    throw new OptionError(
      "format",
      `Cannot use stdout "format" "${given}": not supported yet, use msgpack, json, ` +
        "json_lines or json_stream",
    );
  }
  const format: JsonRecordsFormat | "msgpack" = given;
  const writer = deps.writer ?? Deno.stdout;
  const escape = ctx.settings.jsonEscapeUnicode;
  const jsonOptions = {
    dateKey: parseDateKey(options.json_date_key),
    dateFormat: options.json_date_format,
    convertNanToNull: ctx.settings.jsonConvertNanToNull,
    escapeUnicode: false, // escaped once, on the final text, by encodeJsonText
  };

  function render(chunk: Chunk): Uint8Array | null {
    if (chunk.signal === "metrics") {
      return chunk.records.length === 0 ? null : encoder.encode(metricsText(chunk.records));
    }
    if (chunk.signal !== "logs") {
      if (chunk.records.length === 0) return null;
      let text = "";
      for (const r of chunk.records) text += telemetryJson(r) + "\n";
      return encodeJsonText(text, escape);
    }
    const records = chunk.records;
    if (!records.some((r) => !isGroupMarker(r))) return null;
    if (format === "msgpack") return encoder.encode(formatReadableRecords(records, chunk.tag));
    const text = formatJsonRecords(records, { ...jsonOptions, format });
    return encodeJsonText(format === "json_lines" ? text : text + "\n", escape);
  }

  return {
    async write(chunk: Chunk): Promise<void> {
      const bytes = render(chunk);
      if (bytes === null) return;
      try {
        await writeAll(writer, bytes);
      } catch (e) {
        throw new RetryableError(
          `Cannot write to stdout: ${e instanceof Error ? e.message : String(e)}`,
          { cause: e },
        );
      }
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
