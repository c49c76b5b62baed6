import { defaultsOf } from "../../../src/config/options.ts";
import { Ack } from "../../../src/event/ack.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { plugin } from "./mod.ts";
import { createNullOutput } from "./null.ts";
import { nullOptions } from "./options.ts";

function chunk(signal: Chunk["signal"]): Chunk {
  const records = signal === "logs"
    ? [{ time: new EventTime(1, 0), metadata: {}, body: { message: "x" } }]
    : [];
  return { signal, tag: "t", records, bytes: 1, ack: new Ack(), input: "i" } as Chunk;
}

Deno.test("null plugin accepts every signal and declares Fluent Bit's keys", () => {
  assertEquals(plugin.name, "null");
  assertEquals(plugin.signals, ["logs", "traces", "metrics"]);
  assertEquals(defaultsOf(plugin.options), {
    format: "msgpack",
    json_date_format: "double",
    json_date_key: "date",
  });
});

Deno.test("null output resolves every write and converts nothing by default", async () => {
  const out = createNullOutput(defaultsOf(nullOptions), testFilterContext());
  for (const s of ["logs", "traces", "metrics"] as const) await out.write(chunk(s));
  await out.close?.();
  assertEquals([out.chunks, out.convertedBytes], [3, 0]);
});

Deno.test("null output converts log records to JSON first when format is set", async () => {
  const out = createNullOutput(
    { ...defaultsOf(nullOptions), format: "json_lines", json_date_format: "epoch" },
    testFilterContext(),
  );
  await out.write(chunk("logs"));
  assertEquals(out.convertedBytes, '{"date":1,"message":"x"}\n'.length);
});
