import { defaultsOf } from "../../../src/config/options.ts";
import { Ack } from "../../../src/event/ack.ts";
import { testSpan } from "../../../src/testing/spans.ts";
import { RetryableError } from "../../../src/engine/errors.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";
import { emptyResource } from "../../../src/event/span.ts";
import { assertEquals, assertRejects, assertThrows } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { plugin } from "./mod.ts";
import { type StdoutOptions, stdoutOptions } from "./options.ts";
import { createStdoutOutput } from "./stdout.ts";

/** A writer keeping every write; `max` bytes at most per call, to exercise partial writes. */
class MemoryWriter {
  calls = 0;
  parts: Uint8Array[] = [];
  constructor(readonly max = Infinity, readonly fail = false) {}
  write(p: Uint8Array): Promise<number> {
    this.calls++;
    if (this.fail) return Promise.reject(new Deno.errors.BrokenPipe("Broken pipe (os error 32)"));
    const n = Math.min(p.length, this.max);
    this.parts.push(p.slice(0, n));
    return Promise.resolve(n);
  }
  get text(): string {
    return new TextDecoder().decode(new Uint8Array(this.parts.flatMap((p) => [...p])));
  }
}

function options(overrides: Partial<StdoutOptions> = {}): StdoutOptions {
  return { ...defaultsOf(stdoutOptions), ...overrides };
}

function logs(records: LogRecord[], tag = "dummy.0"): LogChunk {
  return { signal: "logs", tag, records, bytes: 100, ack: new Ack(), input: "dummy.0" };
}

const RECORDS: LogRecord[] = [
  { time: new EventTime(1700000000, 123456789), metadata: {}, body: { message: "dummy" } },
  {
    time: new EventTime(1700000001, 5),
    metadata: { k: 1 },
    body: { n: 1.5, list: [1, "a", null, true], m: { x: "é" } },
  },
];

async function print(records: LogRecord[], overrides: Partial<StdoutOptions> = {}) {
  const writer = new MemoryWriter();
  const out = createStdoutOutput(options(overrides), testFilterContext(), { writer });
  await out.write(logs(records));
  return writer;
}

Deno.test("stdout plugin declares Fluent Bit's keys and defaults for all signals", () => {
  assertEquals(plugin.name, "stdout");
  assertEquals(plugin.signals, ["logs", "traces", "metrics"]);
  assertEquals(defaultsOf(plugin.options), {
    format: "msgpack",
    json_date_format: "double",
    json_date_key: "date",
  });
});

Deno.test("stdout prints Fluent Bit's readable form by default, counting from 0 per chunk", async () => {
  const w = await print(RECORDS);
  assertEquals(
    w.text,
    '[0] dummy.0: [[1700000000.123456789, {}], {"message"=>"dummy"}]\n' +
      '[1] dummy.0: [[1700000001.000000005, {"k"=>1}], ' +
      '{"n"=>1.500000, "list"=>[1, "a", nil, true], "m"=>{"x"=>"é"}}]\n',
  );
  assertEquals(w.calls, 1);
});

Deno.test("stdout prints group metadata and attributes before each record of a group", async () => {
  const w = await print([
    { time: GROUP_START, metadata: { schema: "otlp" }, body: { resource: {} } },
    { time: new EventTime(1, 0), metadata: {}, body: { a: 1 } },
    { time: GROUP_END, metadata: {}, body: {} },
    { time: new EventTime(2, 0), metadata: {}, body: { b: 2 } },
  ]);
  assertEquals(
    w.text,
    'GROUP METADATA : \n\n{"schema"=>"otlp"}\n\nGROUP ATTRIBUTES : \n\n{"resource"=>{}}\n\n' +
      '[0] dummy.0: [[1.000000000, {}], {"a"=>1}]\n' +
      '[1] dummy.0: [[2.000000000, {}], {"b"=>2}]\n',
  );
});

Deno.test("stdout format json prints one array per chunk and a newline", async () => {
  const w = await print(RECORDS, { format: "json" });
  assertEquals(
    w.text,
    '[{"date":1700000000.123457,"message":"dummy"},' +
      '{"date":1700000001.0,"__internal__":{"log_metadata":{"k":1}},' +
      '"n":1.5,"list":[1,"a",null,true],"m":{"x":"\\u00e9"}}]\n',
  );
});

Deno.test("stdout format json_lines honours json_date_key and json_date_format", async () => {
  const w = await print(RECORDS.slice(0, 1), {
    format: "json_lines",
    json_date_key: "ts",
    json_date_format: "iso8601",
  });
  assertEquals(w.text, '{"ts":"2023-11-14T22:13:20.123456Z","message":"dummy"}\n');
});

Deno.test("stdout format json_stream without a date key writes objects back to back", async () => {
  const w = await print(RECORDS.slice(0, 1).concat(RECORDS.slice(0, 1)), {
    format: "json_stream",
    json_date_key: "false",
  });
  assertEquals(w.text, '{"message":"dummy"}{"message":"dummy"}\n');
});

Deno.test("stdout writes unescaped UTF-8 when json.escape_unicode is off", async () => {
  const writer = new MemoryWriter();
  const ctx = testFilterContext({ settings: { jsonEscapeUnicode: false } });
  const out = createStdoutOutput(options({ format: "json_lines", json_date_key: "off" }), ctx, {
    writer,
  });
  await out.write(logs([{ time: new EventTime(1, 0), metadata: {}, body: { m: "é" } }]));
  assertEquals(writer.text, '{"m":"é"}\n');
});

Deno.test("stdout keeps writing until a partial writer has taken every byte", async () => {
  const writer = new MemoryWriter(7);
  const out = createStdoutOutput(options(), testFilterContext(), { writer });
  await out.write(logs(RECORDS));
  assertEquals(writer.text, (await print(RECORDS)).text);
  assertEquals(writer.calls > 10, true);
});

Deno.test("stdout turns a failed write into a RetryableError", async () => {
  const out = createStdoutOutput(options(), testFilterContext(), {
    writer: new MemoryWriter(Infinity, true),
  });
  await assertRejects(() => out.write(logs(RECORDS)), RetryableError, "Broken pipe");
});

Deno.test("stdout prints spans as JSON lines with hex IDs and bigint times as strings", async () => {
  const span = testSpan({
    resource: { ...emptyResource(), attributes: { "service.name": "api" } },
    traceId: new Uint8Array([0xab, 0x01]),
    spanId: new Uint8Array([0x0f]),
    name: "GET /",
    kind: 2,
    startTimeUnixNano: 1700000000000000001n,
    endTimeUnixNano: 1700000000000000002n,
  });

  const writer = new MemoryWriter();
  const out = createStdoutOutput(options(), testFilterContext(), { writer });
  const chunk: Chunk = {
    signal: "traces",
    tag: "t",
    records: [span],
    bytes: 1,
    ack: new Ack(),
    input: "otel.0",
  };
  await out.write(chunk);
  const line = JSON.parse(writer.text.trimEnd());
  assertEquals(writer.text.endsWith("}\n"), true);
  assertEquals(line.traceId, "ab01");
  assertEquals(line.spanId, "0f");
  assertEquals(line.parentSpanId, "");
  assertEquals(line.startTimeUnixNano, "1700000000000000001");
  assertEquals(line.resource.attributes, { "service.name": "api" });
});

Deno.test("stdout writes nothing for a chunk holding only group markers", async () => {
  const w = await print([{ time: GROUP_START, metadata: {}, body: {} }], { format: "json" });
  assertEquals(w.calls, 0);
});

Deno.test("stdout refuses the OTLP JSON formats it does not implement", () => {
  assertThrows(
    () => createStdoutOutput(options({ format: "otlp_json" }), testFilterContext()),
    RangeError,
    "otlp_json",
  );
});
