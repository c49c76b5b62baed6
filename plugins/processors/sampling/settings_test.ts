import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { parseSize } from "../../../src/config/values.ts";
import { parseSettings } from "./settings.ts";

Deno.test("parseSettings() fills Fluent Bit's defaults and sluice's", () => {
  const s = parseSettings(undefined);
  assertEquals(s.samplingPercentage, 10);
  assertEquals(s.decisionWaitMs, 30_000);
  assertEquals(s.maxTraces, 50_000);
  assertEquals(s.decisionWaitAfterRootMs, undefined);
  assertEquals(s.maxTracesPolicy, "decide_early");
  assertEquals(s.keepCacheSize, 100_000);
  assertEquals(s.dropCacheSize, 100_000);
  assertEquals(s.maxBufferedBytes, parseSize("128M"));
  assertEquals(parseSettings(null).given.size, 0);
});

Deno.test("parseSettings() parses durations, sizes and choices, keys in any case", () => {
  const s = parseSettings({
    Decision_Wait: "500ms",
    decision_wait_after_root: "2s",
    max_buffered_bytes: "1M",
    max_traces_policy: "DROP_OLDEST",
    sampling_percentage: "12.5",
  });
  assertEquals(s.decisionWaitMs, 500);
  assertEquals(s.decisionWaitAfterRootMs, 2000);
  assertEquals(s.maxBufferedBytes, parseSize("1M"));
  assertEquals(s.maxTracesPolicy, "drop_oldest");
  assertEquals(s.samplingPercentage, 12.5);
  assertEquals([...s.given].sort(), [
    "decision_wait",
    "decision_wait_after_root",
    "max_buffered_bytes",
    "max_traces_policy",
    "sampling_percentage",
  ]);
});

Deno.test("parseSettings() rejects unknown keys with did-you-mean, and bad values", () => {
  assertThrows(
    () => parseSettings({ decison_wait: "5s" }),
    SyntaxError,
    'did you mean "decision_wait"?',
  );
  assertThrows(() => parseSettings({ decision_wait: "five" }), SyntaxError, '"decision_wait"');
  assertThrows(() => parseSettings({ decision_wait: 0 }), SyntaxError, "above 0");
  assertThrows(() => parseSettings({ sampling_percentage: 101 }), SyntaxError, "0 to 100");
  assertThrows(() => parseSettings({ max_traces: 0 }), SyntaxError, "1 or more");
  assertThrows(() => parseSettings(["x"]), SyntaxError, "a map");
});
