/**
 * log_to_metrics' labels: `kubernetes_mode`'s five first, then `label_field` and `add_label`
 * in the order written. A label's value is the field's string, an integer in decimal, a float
 * with six decimals (`%f`); anything else, or a missing field, gives "". Values are cut to
 * 251 bytes and at most 128 labels are allowed, as in Fluent Bit.
 */
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";

/** At most this many labels (Fluent Bit's MAX_LABEL_COUNT). */
export const MAX_LABELS = 128;
/** A label value keeps at most this many bytes (Fluent Bit's 252-byte buffer). */
const MAX_VALUE_BYTES = 251;

const KUBERNETES_LABELS = ["namespace_name", "pod_name", "container_name", "docker_id", "pod_id"];

/** One label: its name and the field it reads; `toString()` gives the value as written. */
export class LabelSpec {
  constructor(readonly name: string, readonly accessor: RecordAccessor, readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** Parses a `label_field` value: the label is named after the accessor as written. */
export function parseLabelField(raw: unknown): LabelSpec {
  const text = String(raw).trim();
  if (text === "") throw new SyntaxError("expected a field name or record accessor, got nothing");
  return new LabelSpec(text, compileAccessor(text), text);
}

/** Parses an `add_label` value, `NAME ACCESSOR`. */
export function parseAddLabel(raw: unknown): LabelSpec {
  const text = String(raw);
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(text);
  if (!m) {
    throw new SyntaxError(
      `Cannot parse ${
        JSON.stringify(text)
      }: expected NAME ACCESSOR, e.g. \`app $kubernetes['labels']['app']\``,
    );
  }
  return new LabelSpec(m[1]!, compileAccessor(m[2]!), text);
}

/** Parses a `bucket` value: a number (Fluent Bit reads it with strtod). */
export function parseBucket(raw: unknown): number {
  const text = String(raw).trim();
  const n = Number(text);
  if (text === "" || !Number.isFinite(n)) {
    throw new SyntaxError(`expected a number such as 0.5, got ${JSON.stringify(String(raw))}`);
  }
  return n;
}

/** The kubernetes labels, reading `$kubernetes[...]`. */
export function kubernetesLabels(): LabelSpec[] {
  return KUBERNETES_LABELS.map((n) => {
    const text = `$kubernetes['${n}']`;
    return new LabelSpec(n, compileAccessor(text), text);
  });
}

/**
 * The `label_field` and `add_label` specs in the order written, from the loader's
 * source-order pairs (each key's nth pair is its nth value); label_field first when there
 * are none or they do not fit.
 */
export function orderedLabels(
  fields: readonly LabelSpec[],
  added: readonly LabelSpec[],
  order: ReadonlyArray<readonly [string, string]> | undefined,
): LabelSpec[] {
  const grouped = [...fields, ...added];
  if (!order) return grouped;
  const byKey: Record<string, readonly LabelSpec[]> = { label_field: fields, add_label: added };
  const taken: Record<string, number> = { label_field: 0, add_label: 0 };
  const out: LabelSpec[] = [];
  for (const [key] of order) {
    const list = byKey[key];
    if (!list) continue;
    const spec = list[taken[key]!++];
    if (!spec) return grouped;
    out.push(spec);
  }
  return out.length === grouped.length ? out : grouped;
}

const encoder = new TextEncoder();

/** A field's value as a label value. */
export function labelValue(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "bigint") text = value.toString();
  else if (typeof value === "number") {
    text = Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? String(value) : value.toFixed(6);
  } else return "";
  return text.length * 3 <= MAX_VALUE_BYTES ? text : cutBytes(text);
}

function cutBytes(text: string): string {
  if (encoder.encode(text).length <= MAX_VALUE_BYTES) return text;
  let bytes = 0;
  let out = "";
  for (const ch of text) {
    const n = encoder.encode(ch).length;
    if (bytes + n > MAX_VALUE_BYTES) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/** Reads every label of `body` into `out` (reused per record); returns it. */
export function readLabels(specs: readonly LabelSpec[], body: RecordMap, out: string[]): string[] {
  for (let i = 0; i < specs.length; i++) out[i] = labelValue(specs[i]!.accessor.get(body));
  return out;
}
