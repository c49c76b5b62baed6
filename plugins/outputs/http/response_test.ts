import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { classifyStatus, parseRetryAfter, responseError } from "./response.ts";

Deno.test("classifyStatus() follows out_http: 2xx ok, 408/429/5xx retry, other 4xx refuse", () => {
  assertEquals([200, 204, 299].map(classifyStatus), ["delivered", "delivered", "delivered"]);
  assertEquals([408, 429, 500, 503].map(classifyStatus), Array(4).fill("retryable"));
  assertEquals([400, 401, 404, 413].map(classifyStatus), Array(4).fill("permanent"));
  assertEquals(classifyStatus(302), "retryable");
});

Deno.test("parseRetryAfter() reads seconds and HTTP dates", () => {
  assertEquals(parseRetryAfter("7"), 7);
  assertEquals(parseRetryAfter(null), undefined);
  assertEquals(parseRetryAfter("soon"), undefined);
  const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
  assertEquals(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), 30);
  assertEquals(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), 0);
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
});
