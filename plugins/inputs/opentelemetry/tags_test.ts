import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";
import { compileAccessor } from "../../../src/event/record_accessor.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { splitByTagKey } from "./tags.ts";

function start(scope: string): LogRecord {
  return { time: GROUP_START, metadata: { schema: "otlp" }, body: { scope: { name: scope } } };
}
const end: LogRecord = { time: GROUP_END, metadata: {}, body: {} };
function rec(app: unknown, n: number): LogRecord {
  return { time: new EventTime(n, 0), metadata: {}, body: app === undefined ? { n } : { app, n } };
}

/** Each record as `scope:n` (or `-` for a marker), to compare layouts. */
function shape(records: LogRecord[]): string[] {
  let scope = "";
  return records.map((r) => {
    if (r.time.sec === -1) return `[${scope = (r.body.scope as { name: string }).name}`;
    if (r.time.sec === -2) return "]";
    return `${scope}:${r.body.n}`;
  });
}

Deno.test("splitByTagKey() gives each tag its records inside their own groups", () => {
  const records = [
    start("a"),
    rec("web", 1),
    rec("db", 2),
    rec("web", 3),
    end,
    start("b"),
    rec("web", 4),
    rec(7, 5),
    rec(undefined, 6),
    end,
  ];
  const parts = splitByTagKey(records, { accessor: compileAccessor("$app"), fallback: "v1_logs" });
  assertEquals(parts.map((p) => [p.tag, shape(p.records)]), [
    ["web", ["[a", "a:1", "a:3", "]", "[b", "b:4", "]"]],
    ["db", ["[a", "a:2", "]"]],
    ["7", ["[b", "b:5", "]"]],
    ["v1_logs", ["[b", "b:6", "]"]],
  ]);
});

Deno.test("splitByTagKey() keeps records outside groups outside", () => {
  const parts = splitByTagKey([rec("x", 1), rec("x", 2)], {
    accessor: compileAccessor("app"),
    fallback: "t",
  });
  assertEquals(parts.map((p) => [p.tag, p.records.length]), [["x", 2]]);
});
