/**
 * The null output's stage: accepts every chunk and keeps nothing. With a JSON `format`
 * it first converts log records, as Fluent Bit does to benchmark that conversion.
 */
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { encodeJsonRecords, parseDateKey } from "../../../src/event/json_format.ts";
import type { NullOptions } from "./options.ts";

/** What a null output instance did, for tests and benchmarks. */
export interface NullOutput extends OutputInstance {
  /** Chunks accepted so far. */
  readonly chunks: number;
  /** Bytes of JSON produced so far (0 with format msgpack). */
  readonly convertedBytes: number;
}

/** A null output instance for parsed `options`. */
export function createNullOutput(options: NullOptions, ctx: PluginContext): NullOutput {
  const format = options.format;
  const jsonOptions = format === "msgpack" ? undefined : {
    format,
    dateKey: parseDateKey(options.json_date_key),
    dateFormat: options.json_date_format,
    escapeUnicode: ctx.settings.jsonEscapeUnicode,
    convertNanToNull: ctx.settings.jsonConvertNanToNull,
  };
  let chunks = 0;
  let convertedBytes = 0;
  return {
    get chunks() {
      return chunks;
    },
    get convertedBytes() {
      return convertedBytes;
    },
    write(chunk: Chunk): Promise<void> {
      chunks++;
      if (jsonOptions && chunk.signal === "logs") {
        convertedBytes += encodeJsonRecords(chunk.records, jsonOptions).length;
      }
      return Promise.resolve();
    },
    close(): Promise<void> {
      return Promise.resolve();
    },
  };
}
