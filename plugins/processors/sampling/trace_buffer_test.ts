import { assertEquals } from "../../../src/testing/assert.ts";
import { testSpan } from "../../../src/testing/spans.ts";
import type { Source } from "./ack_tracker.ts";
import { TraceBuffer } from "./trace_buffer.ts";

const source = { spanBytes: 10 } as unknown as Source;

Deno.test("TraceBuffer takes traces oldest first across takes, re-adds and a takeAll", () => {
  const b = new TraceBuffer(1000);
  for (const [i, key] of ["a", "b", "c", "d"].entries()) b.add(key, testSpan(), source, i);
  assertEquals(b.takeOldest()?.key, "a");
  assertEquals(b.takeDue(1001).map((t) => t.key), ["b"]); // b is due at 1001, c at 1002
  b.add("a", testSpan(), source, 5); // a fresh entry for a late span: it is now the newest
  b.add("e", testSpan(), source, 6);
  assertEquals(b.nextDeadline(), 1002);
  assertEquals(b.takeDue(1005).map((t) => t.key), ["c", "d", "a"]);
  assertEquals(b.takeAll().map((t) => t.key), ["e"]);
  assertEquals([b.nextDeadline(), b.takeOldest()], [undefined, undefined]);
  b.add("f", testSpan(), source, 7);
  assertEquals([b.nextDeadline(), b.takeOldest()?.key, b.size], [1007, "f", 0]);
});
