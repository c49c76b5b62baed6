import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { assert, assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { until } from "../../../src/testing/until.ts";
import { defaultsOf } from "../../../src/config/options.ts";
import { multilineParserOptions } from "../../../src/config/common_options.ts";
import { Logger, memorySink } from "../../../src/engine/log.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import type { PluginContext } from "../../../src/plugin.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { buildMultilineRegistry } from "../../../src/multiline/mod.ts";
import { plugin } from "./mod.ts";
import { Channel, collect, logChunk, logsOf } from "./_testing.ts";

function ctx(extra: Partial<PluginContext> = {}): PluginContext {
  return testFilterContext({
    name: "multiline.0",
    log: new Logger({ sink: memorySink() }),
    ...extra,
  });
}

function values(extra: Record<string, unknown>) {
  return { ...defaultsOf(plugin.options), ...extra };
}

Deno.test("multiline filter declares Fluent Bit's keys and defaults", () => {
  const d = defaultsOf(plugin.options);
  assertEquals(d["multiline.key_content"], "log");
  assertEquals(d.mode, "parser");
  assertEquals(d.buffer, true);
  assertEquals(d.flush_ms, 2000);
  assertEquals(d["emitter_storage.type"], "memory");
  assert("emitter_name" in plugin.options && "emitter_mem_buf_limit" in plugin.options);
});

Deno.test("multiline filter needs multiline.parser in mode parser and known names", async () => {
  await assertRejects(
    async () => await plugin.create(values({}), ctx()),
    RangeError,
    "multiline.parser",
  );
  await assertRejects(
    async () => await plugin.create(values({ "multiline.parser": ["java", "nope"] }), ctx()),
    RangeError,
    'Unknown multiline parser "nope"',
  );
});

Deno.test("multiline filter with buffer off joins within one chunk", async () => {
  const t = await plugin.create(values({ "multiline.parser": ["java"], buffer: false }), ctx());
  assert(t.process && !t.stage);
  const chunk = logChunk(["java.lang.RuntimeException: x", "    at A.a(A.java:1)", "next"]);
  const out = t.process(chunk)!;
  assertEquals(logsOf([out]), ["java.lang.RuntimeException: x\n    at A.a(A.java:1)", "next"]);
  assert(out.ack === chunk.ack);
  assertEquals(logsOf([t.process(logChunk(["java.lang.RuntimeException: y"]))!]), [
    "java.lang.RuntimeException: y",
  ]);
});

Deno.test("multiline filter uses the context's registry for user parsers", async () => {
  const multiline = buildMultilineRegistry([{
    values: {
      ...defaultsOf(multilineParserOptions),
      name: "brackets",
      rule: ['"start_state" "/^\\[/" "cont"', '"cont" "/^\\s/" "cont"'],
    },
    pos: { file: "f.yaml", line: 1, col: 1 },
  }]);
  const metrics = new MetricsRegistry();
  const t = await plugin.create(
    values({ "multiline.parser": ["brackets"] }),
    ctx({ multiline, metrics }),
  );
  assert(t.stage);
  const source = new Channel<Chunk>();
  const out = collect(t.stage(source));
  source.push(logChunk(["[1] start", "  more", "[2] next"]));
  source.end();
  await out.done;
  assertEquals(logsOf(out.chunks), ["[1] start\n  more", "[2] next"]);
  assertEquals(metrics.value("fluentbit_filter_emit_records_total", { name: "multiline.0" }), 2);
  assertEquals(metrics.value("fluentbit_filter_emit_truncated_total", { name: "multiline.0" }), 0);
});

Deno.test("multiline filter in partial_message mode flushes on the real timer", async () => {
  const t = await plugin.create(values({ mode: "partial_message", flush_ms: 5 }), ctx());
  const source = new Channel<Chunk>();
  const out = collect(t.stage!(source));
  const chunk = logChunk(["part one"]);
  Object.assign(chunk.records[0]!.body, { partial_message: "true", partial_id: "i1" });
  source.push(chunk);
  await until(() => out.chunks.length > 0, "the timer's flush", { interval: 2 });
  assertEquals(out.chunks.map((c) => (c as LogChunk).records.map((r) => r.body)), [[{
    log: "part one",
  }]]);
  out.chunks[0]!.ack.release();
  await new Promise((r) => setTimeout(r, 0));
  assert(chunk.ack.settled);
  source.end();
  await out.done;
});
