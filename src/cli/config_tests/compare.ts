/**
 * Comparing what a `sluice test` case produced with what it expects: records as canonical
 * JSON (keys sorted, so key order does not matter; bytes as text; times compared only
 * where the test gives one), and a line diff (`-` expected and missing, `+` got and not
 * expected) for each tag or output that differs.
 */
import type { LogRecord } from "../../event/log_record.ts";
import type { ExpectedRecord } from "./spec.ts";

const decoder = new TextDecoder();

function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return decoder.decode(value);
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      out[k] = canonical((value as Record<string, unknown>)[k]);
    }
    return out;
  }
  return value;
}

/** One record as a diff line: `[time, body]` when the time is compared, else the body. */
function line(body: unknown, time?: number): string {
  const b = JSON.stringify(canonical(body));
  return time === undefined ? b : `[${time}, ${b}]`;
}

/**
 * The diff lines of `got` against `want`, empty when they agree.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 * import { EventTime } from "../../event/event_time.ts";
 *
 * const got = [{ time: new EventTime(1, 0), metadata: {}, body: { b: 2, a: 1 } }];
 * assertEquals(diffRecords([{ body: { a: 1, b: 2 } }], got), []);
 * assertEquals(diffRecords([{ body: { a: 9 } }], got), ['- {"a":9}', '+ {"a":1,"b":2}']);
 * ```
 */
export function diffRecords(want: readonly ExpectedRecord[], got: readonly LogRecord[]): string[] {
  const w = want.map((e) => line(e.body, e.time));
  const g = got.map((r, i) => {
    const time = want[i]?.time === undefined ? undefined : r.time.sec + r.time.nsec / 1e9;
    return line(r.body, time);
  });
  return lineDiff(w, g);
}

/** A longest-common-subsequence diff of two line lists; empty when they are equal. */
function lineDiff(a: readonly string[], b: readonly string[]): string[] {
  if (a.length === b.length && a.every((x, i) => x === b[i])) return [];
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j]
        ? lcs[i + 1]![j + 1]! + 1
        : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) {
      out.push(`+ ${b[j++]}`);
    } else {
      out.push(`- ${a[i++]}`);
    }
  }
  return out;
}
