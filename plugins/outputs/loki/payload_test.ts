import { defaultsOf } from "../../../src/config/options.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { OptionError } from "../../../src/plugin.ts";
import { lokiPlan } from "./loki.ts";
import { type LokiOptions, lokiOptions } from "./options.ts";
import { buildRequests } from "./payload.ts";

const T = new EventTime(1700000000, 500_000_000);

async function push(extra: Partial<LokiOptions>, ...bodies: RecordMap[]) {
  const plan = await lokiPlan({ ...defaultsOf(lokiOptions), ...extra }, testFilterContext());
  const records: LogRecord[] = bodies.map((body) => ({ time: T, metadata: {}, body }));
  return buildRequests(plan, "app", records);
}

const text = (requests: { body: Uint8Array }[]) => new TextDecoder().decode(requests[0]!.body);
const body = (requests: { body: Uint8Array }[]) => JSON.parse(text(requests));

Deno.test("loki payload: the reference vectors of Fluent Bit's out_loki", async () => {
  assertEquals(
    text(await push({}, { msg: "hi" })),
    '{"streams":[{"stream":{"job":"fluent-bit"},"values":[["1700000000500000000","{\\"msg\\":\\"hi\\"}"]]}]}',
  );
  const labelled = body(
    await push({ labels: ["job=app", "$level"] }, { level: "warn", msg: "hi" }),
  );
  assertEquals(labelled.streams[0].stream, { job: "app", level: "warn" });
  assertEquals(labelled.streams[0].values[0][1], '{"msg":"hi"}');
  const kv = body(await push({ line_format: "key_value" }, { a: "x", n: 1, ok: true }));
  assertEquals(kv.streams[0].values[0][1], 'a="x" n=1 ok=true');
  const raw = await push(
    { drop_single_key: "raw", remove_keys: ["stream"] },
    { log: "hello", stream: "stdout" },
  );
  assertEquals(body(raw).streams[0].values[0][1], "hello");
  const on = await push(
    { drop_single_key: "on", remove_keys: ["stream"] },
    { log: "hello", stream: "stdout" },
  );
  assertEquals(body(on).streams[0].values[0][1], '"hello"');
  const meta = body(await push({ structured_metadata: ["trace_id=$tid"] }, { tid: "abc", m: 1 }));
  assertEquals(meta.streams[0].values[0].slice(1), ['{"m":1}', { trace_id: "abc" }]);
});

Deno.test("loki payload: static labels make one stream, dynamic ones a stream per record", async () => {
  const one = body(await push({ labels: ["job=a"] }, { n: 1 }, { n: 2 }));
  assertEquals(one.streams.length, 1);
  assertEquals(one.streams[0].values.length, 2);
  const many = body(await push({ labels: ["$n"] }, { n: 1 }, { n: 2 }));
  assertEquals(many.streams.map((s: { stream: unknown }) => s.stream), [{ n: "1" }, { n: "2" }]);
});

Deno.test("loki payload: static metadata with static labels goes on every entry of the one stream", async () => {
  const fixed = body(
    await push({ labels: ["job=a"], structured_metadata: ["env=prod"] }, { n: 1 }, { n: 2 }),
  );
  assertEquals(fixed.streams.length, 1);
  assertEquals(fixed.streams[0].values.map((v: unknown[]) => v.slice(1)), [
    ['{"n":1}', { env: "prod" }],
    ['{"n":2}', { env: "prod" }],
  ]);
});

Deno.test("loki payload: a label whose value is empty is left out; none at all gives job=fluent-bit", async () => {
  const requests = await push({ labels: ["$missing"] }, { n: 1 });
  assertEquals(body(requests).streams[0].stream, { job: "fluent-bit" });
});

Deno.test("loki payload: $ra names are sanitized, explicit names are not", async () => {
  const r = body(
    await push({ labels: ["$a['b.c']", "x.y=$a['b.c']", "$9z['k']"].slice(0, 2) }, {
      a: { "b.c": "v" },
    }),
  );
  assertEquals(r.streams[0].stream, { a_b_c: "v", "x.y": "v" });
});

Deno.test("loki payload: records are split by tenant_id_key, the rest keep tenant_id", async () => {
  const requests = await push(
    { tenant_id: "default", tenant_id_key: "$t" },
    { t: "a", n: 0 },
    { n: 1 },
    { t: "a", n: 2 },
  );
  assertEquals(requests.map((r) => [r.tenant, r.indexes]), [["a", [0, 2]], ["default", [1]]]);
});

Deno.test("loki options: bad labels are refused at the key with Fluent Bit's message", async () => {
  const ctx = testFilterContext();
  const bad = (extra: Partial<LokiOptions>) =>
    assertRejects(() => lokiPlan({ ...defaultsOf(lokiOptions), ...extra }, ctx), OptionError);
  const e = await bad({ labels: ["job"] });
  assertEquals((e as OptionError).key, "labels");
  await bad({ labels: ["$1abc"] });
  await bad({ label_keys: ["level"] });
  await bad({ drop_single_key: "maybe" });
});
