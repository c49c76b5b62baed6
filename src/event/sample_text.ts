/**
 * A record value as a short sample for a log line: JSON (bigints as numbers' digits), cut
 * at `max` characters with `…`; `String(value)` when JSON cannot write it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(sampleText({ n: 10n, msg: "hi" }), '{"n":"10","msg":"hi"}');
 * assertEquals(sampleText("abcdef", 3), '"ab…');
 * ```
 */
export function sampleText(value: unknown, max = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? String(v) : v)) ??
      String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
