import { EventTime } from "../../../src/event/event_time.ts";
import {
  GROUP_END,
  GROUP_START,
  type LogRecord,
  logRecord,
} from "../../../src/event/log_record.ts";
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import { envelop } from "./envelope.ts";

const t = new EventTime(1_700_000_000, 0);
const log = (msg: string): LogRecord => logRecord({ msg }, t);
const start = (id: number): LogRecord => ({
  time: GROUP_START,
  metadata: { schema: "otlp", resource_id: id, scope_id: 0 },
  body: { resource: { attributes: { id } }, scope: {} },
});
const end = (): LogRecord => ({ time: GROUP_END, metadata: {}, body: {} });
const kinds = (rs: LogRecord[]) =>
  rs.map((r) =>
    r.time.sec === -1
      ? `start${(r.metadata.resource_id as number) ?? ""}`
      : r.time.sec === -2
      ? "end"
      : String(r.body.msg)
  );

Deno.test("envelop() leaves records already in OTLP groups alone (same array)", () => {
  const records = [start(1), log("a"), end()];
  assert(envelop(records) === records);
});

Deno.test("envelop() wraps each run of plain records between existing groups", () => {
  const out = envelop([log("a"), log("b"), start(1), log("c"), end(), log("d")]);
  assertEquals(kinds(out), [
    "start0",
    "a",
    "b",
    "end",
    "start1",
    "c",
    "end",
    "start0",
    "d",
    "end",
  ]);
  assertEquals(out[0]!.metadata, { schema: "otlp", resource_id: 0, scope_id: 0 });
  assertEquals(out[0]!.body, { resource: {}, scope: {} });
});

Deno.test("envelop() gives each wrapped run its own group body (a modifier changes one)", () => {
  const out = envelop([log("a"), start(1), end(), log("b")]);
  (out[0]!.body.resource as Record<string, unknown>).attributes = { x: 1 };
  assertEquals(out[5]!.body, { resource: {}, scope: {} });
});
