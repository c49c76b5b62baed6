/**
 * Test assertions in the shape of Deno std's `@std/assert`, built on `node:assert`
 * (JSR is not reachable from our build machines, so `@std/assert` cannot be used).
 */
import nodeAssert from "node:assert/strict";

// `msg as string` below: @types/node 26 (pulled in by npm test dependencies such as the
// OpenTelemetry exporters) types the message as `string` or `Error`, not `string | undefined`.

/** Fails unless `actual` deeply and strictly equals `expected`. */
export function assertEquals<T>(actual: unknown, expected: T, msg?: string): asserts actual is T {
  nodeAssert.deepStrictEqual(normalize(actual), normalize(expected), msg as string);
}

/** Null-prototype objects (regex groups) compare equal to plain ones, as in `@std/assert`. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
    return out;
  }
  if (
    value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normalize(v);
    return out;
  }
  return value;
}

/** Fails when `actual` deeply equals `expected`. */
export function assertNotEquals(actual: unknown, expected: unknown, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, msg as string);
}

/** Fails unless `value` is truthy. */
export function assert(value: unknown, msg?: string): asserts value {
  nodeAssert.ok(value, msg as string);
}

/** Fails unless `text` contains `part`. */
export function assertStringIncludes(text: string, part: string, msg?: string): void {
  if (!text.includes(part)) {
    throw new nodeAssert.AssertionError({
      message: msg ?? `Expected text to include ${JSON.stringify(part)}, got:\n${text}`,
    });
  }
}

/** Fails unless `text` matches `re`. */
export function assertMatch(text: string, re: RegExp, msg?: string): void {
  nodeAssert.match(text, re, msg as string);
}

/** Fails unless `fn` throws (an instance of `type`, when given); returns the error. */
export function assertThrows(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  type?: new (...args: any[]) => Error,
  includes?: string,
): Error {
  try {
    fn();
  } catch (e) {
    checkError(e, type, includes);
    return e as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected function to throw" });
}

/** Fails unless `fn` rejects (with an instance of `type`, when given); returns the error. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  type?: new (...args: any[]) => Error,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    checkError(e, type, includes);
    return e as Error;
  }
  throw new nodeAssert.AssertionError({ message: "Expected promise to reject" });
}

// deno-lint-ignore no-explicit-any
function checkError(e: unknown, type?: new (...args: any[]) => Error, includes?: string): void {
  if (type && !(e instanceof type)) {
    throw new nodeAssert.AssertionError({
      message: `Expected error of type ${type.name}, got ${String(e)}`,
    });
  }
  if (includes && !(e instanceof Error && e.message.includes(includes))) {
    throw new nodeAssert.AssertionError({
      message: `Expected error message to include ${JSON.stringify(includes)}, got ${String(e)}`,
    });
  }
}
