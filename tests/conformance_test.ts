/**
 * Every registered plugin passes the same checks: its option table is
 * well-formed and its defaults parse as their own type; unknown keys are
 * rejected with a did-you-mean; every record handed to it is accounted for; and
 * closing it twice is safe.
 */
import { testFilterContext } from "../src/testing/filter_context.ts";
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { within } from "../src/testing/until.ts";
import {
  ConfigError,
  emptyRawConfig,
  type RawConfig,
  type RawSection,
} from "../src/config/model.ts";
import { parseValue } from "../src/config/options.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { Ack } from "../src/event/ack.ts";
import { type Plugin, type PluginContext, signalsOf } from "../src/plugin.ts";
import { transformStage } from "../src/engine/stages.ts";
import type { Chunk } from "../src/event/chunk.ts";
import { EventTime } from "../src/event/event_time.ts";
import { buildParserRegistry } from "../src/parsers/mod.ts";
import { registry } from "../plugins/mod.ts";
import { testInputContext } from "../src/testing/input_context.ts";

const pos = { file: "conformance.yaml", line: 1, col: 1 };
const tmp = await Deno.makeTempDir({ prefix: "sluice_conformance_" });

/** A local endpoint answering 200 to every request, for outputs that send over HTTP. */
const httpSink = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  await req.arrayBuffer();
  return new Response(null, { status: 200 });
});
httpSink.unref();

/** A plugin's example options, with the scratch directory and the local endpoint's port put in. */
function exampleOf(p: Plugin): Record<string, unknown> {
  const fill = (v: unknown) =>
    typeof v === "string"
      ? v.replaceAll("${TEST_DIR}", tmp).replaceAll("${TEST_HTTP_PORT}", String(httpSink.addr.port))
      : v;
  return Object.fromEntries(Object.entries(p.example?.options ?? {}).map(([k, v]) => [k, fill(v)]));
}

const plugins: Plugin[] = [
  ...registry.inputs.values(),
  ...registry.filters.values(),
  ...registry.processors.values(),
  ...registry.outputs.values(),
];

function section(p: Plugin, extra: Record<string, unknown>): RawSection {
  const props = Object.entries({ name: p.name, ...exampleOf(p), ...extra })
    .map(([key, value]) => ({ key, value, pos }));
  if (p.kind === "output" || p.kind === "filter") props.push({ key: "match", value: "*", pos });
  return { kind: p.kind === "processor" ? "input" : p.kind, pos, props };
}

function rawWith(p: Plugin, extra: Record<string, unknown> = {}): RawConfig {
  const raw = emptyRawConfig("conformance.yaml");
  if (p.kind === "processor") {
    const host: RawSection = { kind: "input", pos, props: [{ key: "name", value: "dummy", pos }] };
    host.processors = { [signalsOf(p)[0]]: [{ ...section(p, extra), kind: "processor" }] };
    raw.inputs.push(host);
  } else {
    raw[`${p.kind}s`].push(section(p, extra));
  }
  return raw;
}

function context(name: string): PluginContext {
  return testFilterContext({ name, parsers: buildParserRegistry([]) });
}

function logChunk(n: number): Chunk {
  const records = Array.from({ length: n }, (_, i) => ({
    time: new EventTime(1_700_000_000 + i, 0),
    metadata: {},
    body: { log: `{"n":${i}}`, k: "v", n: i },
  }));
  return {
    signal: "logs",
    tag: "conformance",
    records,
    bytes: n * 32,
    ack: new Ack(),
    input: "test",
  };
}

for (const p of plugins) {
  const id = `${p.kind} "${p.name}"`;

  Deno.test(`${id}: every option is described and its default parses as its type`, () => {
    assert(p.description.length > 0);
    for (const [key, spec] of Object.entries(p.options)) {
      assertEquals(key, key.toLowerCase(), `${key} is lowercase`);
      assert(spec.description.length > 0, `${key} has a description`);
      if (
        spec.default === undefined || spec.multiple || spec.type === "any" || spec.type === "map" ||
        spec.type === "custom"
      ) continue;
      const reparsed = parseValue(spec, spec.default);
      assertEquals(reparsed, spec.default, `${key} default`);
    }
  });

  Deno.test(`${id}: an unknown key is rejected with did-you-mean`, () => {
    const first = Object.keys(p.options).find((k) => k.length > 4) ?? "alias";
    const typo = first.slice(0, -1) + (first.endsWith("x") ? "y" : "x");
    try {
      resolveConfig(rawWith(p, { [typo]: "1" }), registry);
    } catch (e) {
      assert(e instanceof ConfigError, String(e));
      const msg = e.message;
      assertStringIncludes(msg, `key "${typo}"`);
      assertStringIncludes(msg, `did you mean "${first}"?`);
      return;
    }
    throw new Error("unknown key accepted");
  });

  Deno.test(`${id}: every record is accounted for, and closing twice is safe`, async () => {
    const config = resolveConfig(rawWith(p), registry);
    if (p.kind === "input") {
      const ctx = testInputContext({ name: `${p.name}.0` });
      const inst = await p.create(config.inputs[0].options, ctx);
      ctx.controller.abort();
      const drained = (async () => {
        for await (const c of inst.chunks) c.ack.release();
      })();
      await within(drained, "an aborted input ends promptly", { timeout: 3000 });
      await inst.close?.();
      await inst.close?.();
      return;
    }
    if (p.kind === "output") {
      const inst = await p.create(config.outputs[0].options, context(`${p.name}.0`));
      for (const signal of signalsOf(p)) {
        if (signal === "logs") await inst.write(logChunk(10));
      }
      await inst.close?.();
      await inst.close?.();
      return;
    }
    const options = p.kind === "filter"
      ? config.filters[0].options
      : config.inputs[0].processors[signalsOf(p)[0]][0].options;
    const ctx = context(`${p.name}.0`);
    const inst = await p.create(options, ctx);
    if (signalsOf(p).includes("logs")) {
      const stage = transformStage(inst, { signals: ["logs"], log: ctx.log });
      const input = logChunk(20);
      const outs: Chunk[] = [];
      for await (const c of stage(single(input))) outs.push(c);
      if (outs.length > 0) {
        assertEquals(input.ack.settled, false, "ack held while records are in flight");
      }
      for (const c of outs) c.ack.release();
      await within(input.ack.done, "the input chunk's ack settles once its records are done", {
        timeout: 2000,
      });
    }
    await inst.close?.();
    await inst.close?.();
  });
}

Deno.test("conformance: the registry has the foundation's plugins", () => {
  for (const n of ["dummy", "stdin"]) assert(registry.inputs.has(n), n);
  for (const n of ["grep", "modify", "record_modifier"]) assert(registry.filters.has(n), n);
  for (const n of ["stdout", "file", "null"]) assert(registry.outputs.has(n), n);
});

async function* single(chunk: Chunk): AsyncGenerator<Chunk> {
  yield chunk;
}
