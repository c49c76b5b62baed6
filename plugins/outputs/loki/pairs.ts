/**
 * Loki's label and structured-metadata pairs as Fluent Bit's out_loki compiles them:
 * `key=value` (static), `key=$ra` (a record value under a name given as is) and `$ra` (a
 * record value, named after the accessor: its parts joined with `_`, then every character
 * outside `[A-Za-z0-9_]` made `_` and a leading digit prefixed with `_`).
 */
import { OptionError } from "../../../src/plugin.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { compileRecordTemplate, type RecordTemplate } from "../../../src/event/record_template.ts";

/** One compiled pair. */
export type Pair =
  | { kind: "static"; name: string; value: string }
  /** `sanitize`: the name was derived from the accessor (`$ra`), so it is made Loki-safe. */
  | { kind: "record"; name: string; value: RecordTemplate; sanitize: boolean };

/** Pairs compiled from option items, and the accessors they read (removed from the line). */
export interface CompiledPairs {
  pairs: Pair[];
  /** Record accessor patterns the pairs read, in order. */
  read: string[];
}

/** A label name as Loki accepts it (Fluent Bit's `pack_label_key`). */
export function sanitizeLabelName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_]/g, "_");
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

/** The label name Fluent Bit derives from a `$ra` pattern, before sanitizing. */
export function accessorLabelName(template: RecordTemplate): string {
  return template.accessors.map((ra) => ra.path.map(String).join("_")).join("_");
}

function recordPair(key: string, pattern: string, option: string): RecordTemplate {
  try {
    return compileRecordTemplate(pattern);
  } catch (e) {
    throw new OptionError(option, `Cannot use ${JSON.stringify(key)}: ${(e as Error).message}`);
  }
}

/** Compiles one `key=value`, `key=$ra` or `$ra` item of `option`; throws OptionError. */
export function compilePair(item: string, option: string): { pair: Pair; read?: string } {
  if (item.startsWith("$")) {
    if (/^\$[0-9]/.test(item)) {
      throw new OptionError(
        option,
        `Cannot use ${JSON.stringify(item)}: a record accessor key name cannot start with a number`,
      );
    }
    const value = recordPair(item, item, option);
    if (value.accessors.length === 0) {
      throw new OptionError(option, `Cannot use ${JSON.stringify(item)}: expected $key`);
    }
    return {
      pair: {
        kind: "record",
        name: sanitizeLabelName(accessorLabelName(value)),
        value,
        sanitize: true,
      },
      read: item,
    };
  }
  const eq = item.indexOf("=");
  if (eq < 0 || eq === item.length - 1) {
    throw new OptionError(
      option,
      `invalid key value pair on ${JSON.stringify(item)}: expected key=value, key=$record_key ` +
        "or $record_key",
    );
  }
  const name = item.slice(0, eq).trim();
  const raw = item.slice(eq + 1).trim();
  if (raw.startsWith("$")) {
    return {
      pair: { kind: "record", name, value: recordPair(name, raw, option), sanitize: false },
      read: raw,
    };
  }
  return { pair: { kind: "static", name, value: raw } };
}

/** Compiles every item of `option`. */
export function compilePairs(items: readonly string[], option: string): CompiledPairs {
  const out: CompiledPairs = { pairs: [], read: [] };
  for (const item of items) {
    const { pair, read } = compilePair(item, option);
    out.pairs.push(pair);
    if (read) out.read.push(read);
  }
  return out;
}

/** True when a pair reads the record. */
export function isDynamic(pairs: readonly Pair[]): boolean {
  return pairs.some((p) => p.kind === "record");
}

/**
 * Appends the pairs' values for a record to `out` as `[name, value]`; an empty value is
 * left out. `$ra` names are sanitized; names given explicitly are kept as written.
 */
export function renderPairs(
  pairs: readonly Pair[],
  tag: string,
  body: RecordMap,
  out: [string, string][],
): void {
  for (const p of pairs) {
    if (p.kind === "static") {
      out.push([p.name, p.value]);
      continue;
    }
    const value = p.value.render(tag, body);
    if (value === "") continue;
    out.push([p.name, value]);
  }
}
