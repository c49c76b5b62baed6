import { assertEquals } from "../../../src/testing/assert.ts";
import { groupEnd, groupStart, otlpLog } from "./_testing.ts";
import { logBatches } from "./requests.ts";

const limits = { batchSize: 1000, maxResources: 0, maxScopes: 0 };

Deno.test("logBatches() cuts every batch_size records and repeats the open group's start", () => {
  const g = groupStart("a", { resource: 0, scope: 0 });
  const records = [g, otlpLog(0), otlpLog(1), otlpLog(2), groupEnd(), otlpLog(3)];
  const batches = logBatches(records, { ...limits, batchSize: 2 });
  assertEquals(batches.map((b) => [b.start, b.end, b.prefix === g, b.count]), [
    [0, 3, false, 2],
    [3, 6, true, 2],
  ]);
});

Deno.test("logBatches() leaves out batches of group markers only", () => {
  const records = [
    groupStart("a", { resource: 0, scope: 0 }),
    groupEnd(),
    groupStart("b", { resource: 1, scope: 0 }),
    groupEnd(),
  ];
  assertEquals(logBatches(records, limits), []);
  assertEquals(logBatches([], limits), []);
});

Deno.test("logBatches() starts a new request at logs_max_scopes and logs_max_resources", () => {
  const records = [
    groupStart("a", { resource: 0, scope: 0 }),
    otlpLog(0),
    groupEnd(),
    groupStart("a", { resource: 0, scope: 1 }),
    otlpLog(1),
    groupEnd(),
    groupStart("b", { resource: 1, scope: 0 }),
    otlpLog(2),
    groupEnd(),
  ];
  const scopes = logBatches(records, { ...limits, maxScopes: 2 });
  assertEquals(scopes.map((b) => [b.start, b.end, b.count]), [[0, 6, 2], [6, 9, 1]]);
  const resources = logBatches(records, { ...limits, maxResources: 1 });
  assertEquals(resources.map((b) => [b.start, b.end, b.count]), [[0, 6, 2], [6, 9, 1]]);
  const one = logBatches(records, { ...limits, maxScopes: 1 });
  assertEquals(one.map((b) => [b.start, b.count, b.prefix]), [[0, 1, null], [3, 1, null], [
    6,
    1,
    null,
  ]]);
});
