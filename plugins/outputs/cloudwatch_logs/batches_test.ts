import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { logRecord } from "../../../src/event/log_record.ts";
import {
  EVENT_OVERHEAD,
  MAX_BATCH_BYTES,
  MAX_EVENTS,
  MAX_SPAN_MS,
  splitBatches,
} from "./batches.ts";
import { emfDocument, MAX_MESSAGE_BYTES, toEvents } from "./events.ts";
import { rejectedInfo, rejectedReasons } from "./api.ts";

const ev = (timestamp: number, index: number, bytes = 10) => ({
  timestamp,
  message: "x".repeat(bytes),
  bytes,
  index,
});

Deno.test("splitBatches keeps every batch within 10,000 events, 1 MiB and 24 hours, in time order", () => {
  const many = Array.from({ length: 25_000 }, (_, i) => ev(1000 + (i % 7), i));
  const byCount = splitBatches(many);
  assertEquals(byCount.map((b) => b.length), [MAX_EVENTS, MAX_EVENTS, 5000]);
  for (const b of byCount) {
    for (let i = 1; i < b.length; i++) assert(b[i]!.timestamp >= b[i - 1]!.timestamp);
  }
  const big = Array.from({ length: 5 }, (_, i) => ev(i, i, 300_000));
  const bySize = splitBatches(big);
  for (const b of bySize) {
    assert(b.reduce((n, e) => n + e.bytes + EVENT_OVERHEAD, 0) <= MAX_BATCH_BYTES);
  }
  assertEquals(bySize.map((b) => b.length), [3, 2]);
  const wide = [ev(0, 0), ev(MAX_SPAN_MS - 1, 1), ev(MAX_SPAN_MS, 2), ev(5, 3)];
  assertEquals(splitBatches(wide).map((b) => b.map((e) => e.index)), [[0, 3, 1], [2]]);
  assertEquals(splitBatches(many).flat().length, many.length, "no event lost or doubled");
});

Deno.test("toEvents cuts a message over 1,000,000 bytes at a character boundary", () => {
  const r = logRecord({ log: "é".repeat(600_000) }, new EventTime(1700000000, 999_999_999));
  let cut = 0;
  const { events } = toEvents([r], [0], {
    logKey: "log",
    escapeUnicode: false,
    convertNanToNull: false,
  }, () => cut++);
  assertEquals(cut, 1);
  assert(events[0]!.bytes <= MAX_MESSAGE_BYTES);
  assertEquals(events[0]!.bytes, new TextEncoder().encode(events[0]!.message).length);
  assertEquals(events[0]!.timestamp, 1700000000999);
});

Deno.test("emfDocument wraps a cpu record as Fluent Bit's EMF, with namespace and dimensions", () => {
  const r = logRecord(
    { cpu_p: 1.5, user_p: 1, system_p: 0.5, "cpu0.p_cpu": 2 },
    new EventTime(1700000000, 5e8),
  );
  const doc = emfDocument(r, { namespace: "ns", dimensions: [["host"], ["a", "b"]], input: "cpu" });
  assertEquals(doc, {
    _aws: {
      Timestamp: 1700000000000,
      CloudWatchMetrics: [{
        Namespace: "ns",
        Dimensions: [["host"], ["a", "b"]],
        Metrics: [
          { Name: "cpu_p", Unit: "Percent" },
          { Name: "user_p", Unit: "Percent" },
          { Name: "system_p", Unit: "Percent" },
        ],
      }],
    },
    cpu_p: 1.5,
    user_p: 1,
    system_p: 0.5,
    "cpu0.p_cpu": 2,
  });
});

Deno.test("rejectedLogEventsInfo maps to reasons: expired and tooOld up to their index, tooNew from its index", () => {
  const info = rejectedInfo(new TextEncoder().encode(JSON.stringify({
    rejectedLogEventsInfo: {
      expiredLogEventEndIndex: 0,
      tooOldLogEventEndIndex: 1,
      tooNewLogEventStartIndex: 4,
    },
  })));
  const reasons = rejectedReasons(info, 6);
  assertEquals([...reasons.keys()], [0, 1, 4, 5]);
  assert(reasons.get(0)!.includes("expired"));
  assert(reasons.get(1)!.includes("tooOld"));
  assert(reasons.get(5)!.includes("tooNew"));
  assertEquals(rejectedInfo(new Uint8Array()), {});
});
