/**
 * A labels processor setting `NAME VALUE` (update, insert, upsert), parsed when the config
 * loads. Kept apart from the actions so that reading options loads no node:crypto.
 */
import { compileRecordTemplate, type RecordTemplate } from "../../../src/event/record_template.ts";

/** A `NAME VALUE` setting of update, insert or upsert; `toString()` gives it as written. */
export class LabelValue {
  constructor(
    readonly name: string,
    readonly value: string,
    readonly template: RecordTemplate | undefined,
    readonly text: string,
  ) {}

  /** The value for a chunk tagged `tag`. */
  render(tag: string): string {
    return this.template ? this.template.render(tag, {}) : this.value;
  }

  toString(): string {
    return this.text;
  }
}

/** Parses `NAME VALUE` (VALUE is the rest, spaces allowed); throws SyntaxError with an example. */
export function parseLabelValue(key: string, raw: unknown): LabelValue {
  const text = String(raw);
  const m = /^\s*(\S+)\s+(.*\S)\s*$/s.exec(text);
  if (!m) {
    throw new SyntaxError(
      `Cannot parse ${JSON.stringify(text)}: '${key}' expects a label name and a value, ` +
        `e.g. '${key} version 1.8.0'`,
    );
  }
  const value = m[2]!;
  const template = value.includes("$") ? compileRecordTemplate(value) : undefined;
  return new LabelValue(m[1]!, value, template, text);
}
