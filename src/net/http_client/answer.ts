/**
 * Reading an {@link HttpAnswer}: one header value, the body as a JSON object.
 */
import type { HttpAnswer } from "./client.ts";

const dec = new TextDecoder();

/**
 * The first value of header `name` (lowercase) in `answer`, or undefined.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const answer = { status: 429, headers: { "retry-after": ["5", "7"] }, body: new Uint8Array() };
 * assertEquals(answerHeader(answer, "retry-after"), "5");
 * assertEquals(answerHeader(answer, "x-none"), undefined);
 * ```
 */
export function answerHeader(answer: HttpAnswer, name: string): string | undefined {
  const v = answer.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The body of `answer` parsed as a JSON object; `{}` when it is not JSON or not an object.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const of = (text: string) => ({
 *   status: 200,
 *   headers: {},
 *   body: new TextEncoder().encode(text),
 * });
 * assertEquals(answerJson(of('{"access_token":"t"}')), { access_token: "t" });
 * assertEquals(answerJson(of("<html>")), {});
 * assertEquals(answerJson(of("null")), {});
 * ```
 */
export function answerJson(answer: HttpAnswer): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(dec.decode(answer.body));
    return v && typeof v === "object" ? v as Record<string, unknown> : {};
  } catch {
    return {};
  }
}
