import { PermanentError, RetryableError } from "../../engine/errors.ts";
import { assert, assertEquals } from "../../testing/assert.ts";
import { classifyStatus, OTLP_STATUS, parseRetryAfter, responseError, snippet } from "./status.ts";

Deno.test("classifyStatus() follows out_http: 200-205 ok, other 4xx refuse, the rest retry", () => {
  const c = (s: number) => classifyStatus(s);
  assertEquals([200, 201, 204, 205].map(c), Array(4).fill("delivered"));
  assertEquals([206, 299, 302, 100].map(c), Array(4).fill("retryable"));
  assertEquals([408, 429, 500, 503].map(c), Array(4).fill("retryable"));
  assertEquals([400, 401, 404, 413].map(c), Array(4).fill("permanent"));
});

Deno.test("classifyStatus() with the OTLP policy retries only 429, 502, 503 and 504", () => {
  const c = (s: number) => classifyStatus(s, OTLP_STATUS);
  assertEquals([200, 206, 299].map(c), Array(3).fill("delivered"));
  assertEquals([429, 502, 503, 504].map(c), Array(4).fill("retryable"));
  assertEquals([400, 408, 500, 501, 302].map(c), Array(5).fill("permanent"));
});

Deno.test("parseRetryAfter() reads delay-seconds and HTTP dates, ignores the rest", () => {
  const now = Date.parse("Wed, 21 Oct 2026 07:28:00 GMT");
  assertEquals(parseRetryAfter("120", now), 120);
  assertEquals(parseRetryAfter(" 0 ", now), 0);
  assertEquals(parseRetryAfter("Wed, 21 Oct 2026 07:28:30 GMT", now), 30);
  assertEquals(parseRetryAfter("Wed, 21 Oct 2026 07:27:00 GMT", now), 0, "a past date: now");
  assertEquals(parseRetryAfter(null, now), undefined);
  assertEquals(parseRetryAfter(undefined, now), undefined);
  assertEquals(parseRetryAfter("-5", now), undefined);
  assertEquals(parseRetryAfter("1.5", now), undefined);
  assertEquals(parseRetryAfter("soon", now), undefined);
});

Deno.test("responseError() carries the status and the Retry-After", () => {
  const e = responseError(503, { target: "127.0.0.1:80", retryAfter: "3", detail: "busy" });
  assert(e instanceof RetryableError);
  assertEquals([e.status, e.retryAfter, e.message], [
    503,
    3,
    "127.0.0.1:80 answered HTTP 503: busy",
  ]);
  const p = responseError(400, { target: "x", retryAfter: null });
  assert(p instanceof PermanentError);
  assertEquals(p.status, 400);
  const o = responseError(500, { target: "x", retryAfter: "1", policy: OTLP_STATUS });
  assert(o instanceof PermanentError, "OTLP does not retry a 500");
  assertEquals(snippet(" a\n  b ", 10), "a b");
  assertEquals(snippet("x".repeat(20), 5), "xxxxx...");
});
