/**
 * The file output's line formats, as Fluent Bit's `out_file` writes them:
 *
 * - unset (`out_file`): `tag: [1700000000.123456789, {"k":"v"}]`
 * - `plain`: the body as JSON, `{"k":"v"}`
 * - `csv`: `1700000000.123456789,"v1",2` (values as msgpack-c prints them; with
 *   `csv_column_names`, a `timestamp,"k1","k2"` header starts an empty file)
 * - `ltsv`: `"time":1700000000.123457<TAB>"k":"v"`
 * - `template`: `{time} {message}` filled from the body, `{time}` as seconds with six
 *   decimals; an unknown `{key}` is written as is
 *
 * Group markers are skipped; csv and ltsv skip records with an empty body.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import { bodyJson, type JsonValueOptions, Utf8TextBuilder } from "../../../src/event/json_value.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { formatFixed6, printValue } from "../../../src/event/pretty_print.ts";

/** A resolved file format; `msgpack` is handled by the output itself. */
export type TextFormat =
  | { kind: "out_file" | "plain" }
  | { kind: "csv"; delimiter: string; columnNames: boolean }
  | { kind: "ltsv"; delimiter: string; labelDelimiter: string }
  | { kind: "template"; template: CompiledTemplate };

/** One piece of a template: literal text, or a `{key}` with its original text. */
export type TemplatePart = string | { key: string; raw: string };

/** A template split into parts once, at start. */
export type CompiledTemplate = readonly TemplatePart[];

/**
 * Splits a template the way Fluent Bit reads it: `{` starts a key (a second `{` before
 * the `}` turns the first into literal text), and an unclosed `{` stays literal.
 */
export function compileTemplate(template: string): CompiledTemplate {
  const parts: TemplatePart[] = [];
  let lit = "";
  let open = -1;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === "{") {
      if (open !== -1) lit += template.slice(open, i);
      open = i;
    } else if (c === "}" && open !== -1) {
      if (lit !== "") parts.push(lit);
      lit = "";
      parts.push({ key: template.slice(open + 1, i), raw: template.slice(open, i + 1) });
      open = -1;
    } else if (open === -1) {
      lit += c;
    }
  }
  if (open !== -1) lit += template.slice(open);
  if (lit !== "") parts.push(lit);
  return parts;
}

function seconds(t: EventTime): string {
  return `${t.sec}.${String(t.nsec).padStart(9, "0")}`;
}

function double6(t: EventTime): string {
  return formatFixed6(t.sec + t.nsec / 1e9);
}

function fillTemplate(parts: CompiledTemplate, r: LogRecord): string {
  let s = "";
  for (const p of parts) {
    if (typeof p === "string") s += p;
    else if (p.key === "time") s += double6(r.time);
    else if (Object.hasOwn(r.body, p.key)) {
      const v = r.body[p.key];
      s += typeof v === "string" ? v : printValue(v);
    } else s += p.raw;
  }
  return s + "\n";
}

function csvLine(body: RecordMap, t: EventTime, d: string): string {
  let s = seconds(t);
  for (const k in body) s += d + printValue(body[k]);
  return s + "\n";
}

function csvHeader(body: RecordMap, d: string): string {
  let s = "timestamp";
  for (const k in body) s += d + printValue(k);
  return s + "\n";
}

function ltsvLine(body: RecordMap, t: EventTime, d: string, ld: string): string {
  let s = '"time"' + ld + double6(t);
  for (const k in body) s += d + printValue(k) + ld + printValue(body[k]);
  return s + "\n";
}

function isEmpty(m: RecordMap): boolean {
  for (const _ in m) return false;
  return true;
}

/** Options for {@link formatFileRecords} and {@link encodeFileRecords}. */
export interface FileRecordsOptions {
  format: TextFormat;
  /** The file is empty: csv starts it with the column names. */
  atFileStart: boolean;
  json?: JsonValueOptions;
}

/**
 * A chunk's records in `format`, one line each. `atFileStart` says the file is empty,
 * which is when csv writes its column names.
 */
export function formatFileRecords(
  records: readonly LogRecord[],
  tag: string,
  options: FileRecordsOptions,
): string {
  let text = "";
  writeRecords(records, tag, options, { add: (t) => (text += t) });
  return text;
}

/**
 * {@link formatFileRecords} as UTF-8 bytes, the file output's hot path: out_file and
 * plain lines are JSON, escaped as `escapeUnicode` says; the other formats are written
 * as they are. No chunk-sized string is made.
 */
export function encodeFileRecords(
  records: readonly LogRecord[],
  tag: string,
  options: FileRecordsOptions & { escapeUnicode: boolean },
): Uint8Array {
  const kind = options.format.kind;
  const json = kind === "out_file" || kind === "plain";
  const sink = new Utf8TextBuilder({ json, escapeUnicode: options.escapeUnicode });
  writeRecords(records, tag, options, sink);
  return sink.finish();
}

function writeRecords(
  records: readonly LogRecord[],
  tag: string,
  options: FileRecordsOptions,
  sink: { add(text: string): void },
): void {
  const f = options.format;
  let header = f.kind === "csv" && f.columnNames && options.atFileStart;
  // Records of one read share their time: its text is made once per run of equal times.
  let lastSec = Number.NaN;
  let lastNsec = Number.NaN;
  let head = "";
  for (const r of records) {
    if (isGroupMarker(r)) continue;
    switch (f.kind) {
      case "out_file":
        if (r.time.sec !== lastSec || r.time.nsec !== lastNsec) {
          lastSec = r.time.sec;
          lastNsec = r.time.nsec;
          head = `${tag}: [${seconds(r.time)}, `;
        }
        sink.add(head + bodyJson(r.body, options.json) + "]\n");
        break;
      case "plain":
        sink.add(bodyJson(r.body, options.json) + "\n");
        break;
      case "csv":
        if (isEmpty(r.body)) break;
        if (header) sink.add(csvHeader(r.body, f.delimiter));
        header = false;
        sink.add(csvLine(r.body, r.time, f.delimiter));
        break;
      case "ltsv":
        if (!isEmpty(r.body)) sink.add(ltsvLine(r.body, r.time, f.delimiter, f.labelDelimiter));
        break;
      case "template":
        sink.add(fillTemplate(f.template, r));
        break;
    }
  }
}

/**
 * A delimiter option as Fluent Bit reads it: `\t` or `tab`, `space`, `comma` (any
 * case); sluice also takes a real tab. Anything else is undefined (the default is used).
 */
export function parseDelimiter(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if (v === "\\t" || v === "tab" || v === "\t") return "\t";
  if (v === "space") return " ";
  if (v === "comma") return ",";
  return undefined;
}
