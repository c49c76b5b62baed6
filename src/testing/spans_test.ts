import { assertEquals } from "./assert.ts";
import { hexId } from "../otlp/mod.ts";
import { hexSpan, numberedSpanId, numberedTraceId, testSpan, timedSpan } from "./spans.ts";

Deno.test("testSpan() fills every field and lets a test override any", () => {
  const s = testSpan({ name: "checkout", attributes: { a: 1 } });
  assertEquals([s.name, s.kind, s.attributes, s.traceId.length, s.spanId.length], [
    "checkout",
    0,
    { a: 1 },
    16,
    8,
  ]);
  assertEquals(testSpan().resource === testSpan().resource, false, "fresh objects each time");
});

Deno.test("hexSpan() takes hex IDs and gives a span of service svc", () => {
  const s = hexSpan("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", { name: "a" });
  assertEquals([hexId(s.traceId), hexId(s.spanId), s.name, s.kind], [
    "5b8efff798038103d269b633813fc60c",
    "eee19b7ec3c1b174",
    "a",
    2,
  ]);
  assertEquals(s.resource.attributes, { "service.name": "svc" });
});

Deno.test("timedSpan() places a span in milliseconds from a fixed epoch", () => {
  const s = timedSpan({ traceId: numberedTraceId(7), startMs: 150, durationMs: 50 });
  assertEquals(s.endTimeUnixNano - s.startTimeUnixNano, 50_000_000n);
  assertEquals([hexId(s.traceId), hexId(s.spanId), s.status.code], [
    "ab000000000000000000000000000007",
    "0000000000000001",
    1,
  ]);
  assertEquals(hexId(numberedSpanId(999)), "00000000000003e8");
});
