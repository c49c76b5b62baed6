import { defaultsOf } from "../../../src/config/options.ts";
import { Ack } from "../../../src/event/ack.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";
import { PartialWriteError, PermanentError } from "../../../src/engine/errors.ts";
import { OptionError } from "../../../src/plugin.ts";
import { assertEquals, assertRejects, assertThrows } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { SplunkReceiver } from "../../../src/testing/splunk_receiver.ts";
import { compileEvents, formatEvents } from "./events.ts";
import { type SplunkOptions, splunkOptions } from "./options.ts";
import { createSplunkOutput } from "./splunk.ts";

const T = new EventTime(1700000000, 500_000_000);

function chunk(records: LogRecord[]): LogChunk {
  return { signal: "logs", tag: "t", input: "x.0", records, bytes: 100, ack: new Ack() };
}

const options = (port: number, extra: Partial<SplunkOptions> = {}): SplunkOptions => ({
  ...defaultsOf(splunkOptions),
  port,
  ...extra,
});

Deno.test("splunk events: OTLP records carry host.name and a fields map", () => {
  const plan = compileEvents({ fields: [], raw: false, autoTime: false });
  const records: LogRecord[] = [
    {
      time: GROUP_START,
      metadata: { schema: "otlp", resource_id: 0, scope_id: 0 },
      body: { resource: { attributes: { "host.name": "h1", "service.name": "api" } } },
    },
    {
      time: T,
      metadata: { otlp: { severity_number: 9, severity_text: "INFO", attributes: { k: 1 } } },
      body: { msg: "hi" },
    },
    { time: GROUP_END, metadata: {}, body: {} },
  ];
  const out = formatEvents(plan, "t", records);
  assertEquals(out.indexes, [1]);
  assertEquals(JSON.parse(out.text), {
    time: 1700000000.5,
    host: "h1",
    fields: {
      "host.name": "h1",
      "service.name": "api",
      "otel.log.severity.number": 9,
      "otel.log.severity.text": "INFO",
      k: 1,
    },
    event: { msg: "hi" },
  });
});

Deno.test("splunk events: event_key falls back to the whole record when the key is missing", () => {
  const plan = compileEvents({ eventKey: "$log", fields: [], raw: false, autoTime: true });
  const out = formatEvents(plan, "t", [
    { time: T, metadata: {}, body: { log: "a" } },
    { time: T, metadata: {}, body: { other: 1 } },
  ]);
  assertEquals(out.text, '{"event":"a"}{"event":{"other":1}}');
});

Deno.test("splunk options: no token and no http_user, or a bad event_key, are refused", () => {
  const ctx = testFilterContext();
  assertThrows(() => createSplunkOutput(options(1), ctx), OptionError);
  assertThrows(
    () => createSplunkOutput(options(1, { splunk_token: "t", event_key: "log" }), ctx),
    OptionError,
  );
  assertThrows(
    () => createSplunkOutput(options(1, { splunk_token: "t", event_field: ["nopattern"] }), ctx),
    OptionError,
  );
});

Deno.test("splunk output: HEC's invalid-event-number splits the chunk into delivered, refused, retried", async () => {
  const rx = await SplunkReceiver.start({ token: "t", indexes: ["main"] });
  const out = createSplunkOutput(
    options(rx.port, { splunk_token: "t", event_index_key: "$idx" }),
    testFilterContext(),
  );
  const records = ["main", "main", "bad", "main"].map((idx, n) => ({
    time: T,
    metadata: {},
    body: { idx, n },
  }));
  const e = await assertRejects(() => out.write(chunk(records)), PartialWriteError);
  const p = e as PartialWriteError;
  assertEquals(p.rejected.map((r) => [r.index, r.status]), [[2, 400]]);
  assertEquals([p.retry, p.unsent], [[], [3]]);
  assertEquals(rx.events().map((x) => (x.event as { n: number }).n), [0, 1]);
  rx.mode = { kind: "ok" };
  const wrong = createSplunkOutput(options(rx.port, { splunk_token: "nope" }), testFilterContext());
  await assertRejects(() => wrong.write(chunk(records.slice(0, 1))), PermanentError);
  await out.close?.();
  await wrong.close?.();
  await rx.stop();
});
