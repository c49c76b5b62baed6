/**
 * The file output's stage. Each chunk is formatted to one buffer and appended with one
 * write to `<path>/<file>` (file defaults to the tag, made safe for the filesystem).
 * Files are opened once in append mode and kept open; a file removed or replaced
 * behind our back (logrotate) is reopened at the next chunk. Write failures throw
 * RetryableError so the engine retries the chunk.
 */
import { RetryableError } from "../../../src/engine/errors.ts";
import {
  OptionError,
  type OutputInstance,
  type PluginContext,
  type PluginLogger as Logger,
} from "../../../src/plugin.ts";
import { writeAll } from "../../../src/engine/write_all.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { encodeJsonText, telemetryJson } from "../../../src/event/json_value.ts";
import { encodeRecords } from "../../../src/event/msgpack.ts";
import { compileTemplate, encodeFileRecords, parseDelimiter, type TextFormat } from "./formats.ts";
import type { FileOptions } from "./options.ts";
import { rotateFile } from "./rotate.ts";
import { metricsText } from "../../../src/metrics/text.ts";

const encoder = new TextEncoder();

function utf8Length(c: string): number {
  return encoder.encode(c).length;
}

/**
 * A tag as a relative path, as Fluent Bit makes it: `/` and `\` separate components,
 * `.` and `..` components become `_`, and each byte other than letters, digits, `-`,
 * `_` and `.` becomes `_`.
 */
export function sanitizeTag(tag: string): string {
  const parts: string[] = [];
  for (const comp of tag.split(/[/\\]/)) {
    if (comp === "") continue;
    if (comp === "." || comp === "..") parts.push("_");
    else parts.push(comp.replace(/[^A-Za-z0-9._-]/gu, (c) => "_".repeat(utf8Length(c))));
  }
  return parts.length === 0 ? "_" : parts.join("/");
}

function delimiter(raw: string | undefined, key: string, fallback: string, log: Logger): string {
  const d = parseDelimiter(raw);
  if (raw !== undefined && d === undefined) {
    log.warn(
      `Ignoring "${key}" "${raw}": expected \\t (or tab), space or comma; using ${
        JSON.stringify(fallback)
      }, as Fluent Bit does`,
    );
  }
  return d ?? fallback;
}

function resolveFormat(o: FileOptions, log: Logger): TextFormat | "msgpack" {
  switch (o.format ?? "out_file") {
    case "msgpack":
      return "msgpack";
    case "plain":
      return { kind: "plain" };
    case "csv":
      return {
        kind: "csv",
        delimiter: delimiter(o.delimiter, "delimiter", ",", log),
        columnNames: o.csv_column_names,
      };
    case "ltsv":
      return {
        kind: "ltsv",
        delimiter: delimiter(o.delimiter, "delimiter", "\t", log),
        labelDelimiter: delimiter(o.label_delimiter, "label_delimiter", ":", log),
      };
    case "template":
      return { kind: "template", template: compileTemplate(o.template) };
    default:
      return { kind: "out_file" };
  }
}

function refuseUnsupported(o: FileOptions): void {
  for (const key of ["path", "file"] as const) {
    if (o[key]?.includes("$")) {
      throw new RangeError(
        `Cannot use file "${key}" "${o[key]}": record accessor destinations are not ` +
          "supported yet",
      );
    }
  }
  if (o.enable_strftime) {
    throw new OptionError(
      "enable_strftime",
      'Cannot use file "enable_strftime": not supported yet',
    );
  }
  if (o.atomic_chunks) {
    throw new OptionError("atomic_chunks", 'Cannot use file "atomic_chunks": not supported yet');
  }
  if (o.rotate && o.rotate_max_size <= 0) {
    throw new OptionError(
      "rotate_max_size",
      `Cannot rotate: "rotate_max_size" must be above 0, got ${o.rotate_max_size}`,
    );
  }
  if (o.rotate && o.rotate_max_files < 1) {
    throw new OptionError(
      "rotate_max_files",
      `Cannot rotate: "rotate_max_files" must be at least 1, got ${o.rotate_max_files}`,
    );
  }
}

interface OpenFile {
  file: Deno.FsFile;
  ino: number | null;
}

function statOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.statSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A file output instance for parsed `options`. */
export function createFileOutput(options: FileOptions, ctx: PluginContext): OutputInstance {
  refuseUnsupported(options);
  const format = resolveFormat(options, ctx.log);
  const escape = ctx.settings.jsonEscapeUnicode;
  const json = { convertNanToNull: ctx.settings.jsonConvertNanToNull };
  const open = new Map<string, OpenFile>();

  function target(tag: string): string {
    const name = options.file ?? sanitizeTag(tag);
    return options.path === undefined ? name : `${options.path}/${name}`;
  }

  function drop(path: string): void {
    const h = open.get(path);
    open.delete(path);
    try {
      h?.file.close();
    } catch {
      // Already closed.
    }
  }

  async function openFile(path: string): Promise<OpenFile> {
    const flags = { append: true, create: true };
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, flags);
    } catch (e) {
      const dir = path.slice(0, Math.max(0, path.lastIndexOf("/")));
      if (!(e instanceof Deno.errors.NotFound) || !options.mkdir || dir === "") throw e;
      await Deno.mkdir(dir, { recursive: true, mode: 0o755 });
      file = await Deno.open(path, flags);
    }
    const h = { file, ino: file.statSync().ino };
    open.set(path, h);
    return h;
  }

  /** The open file for `path` and its size, reopening a file removed or replaced since. */
  async function acquire(path: string): Promise<{ h: OpenFile; size: number }> {
    let st = statOrNull(path);
    let h = open.get(path);
    if (h !== undefined && (st === null || (st.ino !== null && st.ino !== h.ino))) {
      ctx.log.info(`Reopening ${path}: the file was removed or replaced`);
      drop(path);
      h = undefined;
    }
    if (options.rotate && st !== null && st.size >= options.rotate_max_size) {
      drop(path);
      h = undefined;
      const r = await rotateFile(path, {
        maxFiles: options.rotate_max_files,
        gzip: options.rotate_gzip,
      });
      ctx.log.info(`Rotated ${path} to ${r.rotated}`);
      if (r.gzipError !== undefined) {
        ctx.log.warn(`Keeping ${r.rotated} uncompressed: ${message(r.gzipError)}`);
      }
      st = null;
    }
    h ??= await openFile(path);
    return { h, size: st?.size ?? 0 };
  }

  function render(chunk: Chunk, atFileStart: boolean): Uint8Array {
    // Fluent Bit prints metrics as cmetrics text whatever the format.
    if (chunk.signal === "metrics") return encoder.encode(metricsText(chunk.records));
    if (chunk.signal !== "logs") {
      let text = "";
      for (const r of chunk.records) text += telemetryJson(r) + "\n";
      return encodeJsonText(text, escape);
    }
    if (format === "msgpack") return encodeRecords(chunk.records, { array32: true });
    return encodeFileRecords(chunk.records, chunk.tag, {
      format,
      atFileStart,
      json,
      escapeUnicode: escape,
    });
  }

  return {
    async write(chunk: Chunk): Promise<void> {
      const path = target(chunk.tag);
      let acquired: { h: OpenFile; size: number };
      try {
        acquired = await acquire(path);
      } catch (e) {
        throw new RetryableError(`Cannot open ${path}: ${message(e)}`, { cause: e });
      }
      const bytes = render(chunk, acquired.size === 0);
      if (bytes.length === 0) return;
      try {
        await writeAll(acquired.h.file, bytes);
      } catch (e) {
        drop(path);
        throw new RetryableError(`Cannot write to ${path}: ${message(e)}`, { cause: e });
      }
    },
    close(): Promise<void> {
      for (const path of [...open.keys()]) drop(path);
      return Promise.resolve();
    },
  };
}
