import type { SamplingOptions } from "./options.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../../../src/testing/assert.ts";
import { fileURLToPath } from "node:url";
import { loadConfigFile } from "../../../src/config/load.ts";
import { ConfigError, formatProblem } from "../../../src/config/model.ts";
import { opt } from "../../../src/config/options.ts";
import { resolveConfig } from "../../../src/config/resolve.ts";
import { parseYamlConfig } from "../../../src/config/yaml_loader.ts";
import { Logger, memorySink } from "../../../src/engine/log.ts";
import { defineInput, makeRegistry, type PluginContext } from "../../../src/plugin.ts";
import type { Chunk, TraceChunk } from "../../../src/event/chunk.ts";
import type { RawConfig } from "../../../src/config/model.ts";
import { buildParserRegistry } from "../../../src/parsers/mod.ts";
import { plugin as stdout } from "../../outputs/stdout/mod.ts";
import { plugin } from "./mod.ts";
import { traceBucket } from "./probabilistic.ts";
import { span, traceChunk } from "./_testing.ts";

const DIR = fileURLToPath(new URL("../../../testdata/sampling/", import.meta.url));

async function* none(): AsyncGenerator<never> {}

/** The real sampling plugin with a stand-in opentelemetry input (written elsewhere). */
const registry = makeRegistry([
  defineInput({
    name: "opentelemetry",
    description: "stand-in",
    example: { options: {}, feed: { kind: "generates", records: 0 } },
    signals: ["logs", "traces", "metrics"],
    options: { port: opt.int(4318, "Port") },
    create: () => ({ chunks: none() }),
  }),
  plugin,
  stdout,
]);

function context(sink = memorySink()): PluginContext {
  return testFilterContext({
    name: "opentelemetry.0/sampling.0",
    log: new Logger({ sink }),
    parsers: buildParserRegistry([]),
  });
}

function rawOf(yaml: string): RawConfig {
  const parsed = parseYamlConfig(yaml, "fb.yaml");
  assertEquals(parsed.problems, []);
  const raw: RawConfig = {
    file: "fb.yaml",
    files: ["fb.yaml"],
    service: [],
    inputs: [],
    filters: [],
    outputs: [],
    parsers: [],
    multilineParsers: [],
  };
  for (const item of parsed.items) {
    if (item.type === "section" && item.section.kind === "input") raw.inputs.push(item.section);
  }
  return raw;
}

function samplingYaml(body: string): string {
  const indented = body.trim().split("\n").map((l) => `          ${l}`).join("\n");
  return `pipeline:\n  inputs:\n    - name: opentelemetry\n      processors:\n        traces:\n${indented}\n`;
}

const DOCS = [
  "probabilistic",
  "latency",
  "span_count",
  "status_code",
  "string_attribute",
  "numeric_attribute",
  "boolean_attribute",
  "trace_state",
];

for (const name of DOCS) {
  Deno.test(`sampling: the docs' ${name} example config creates a working processor`, async () => {
    const raw = await loadConfigFile(`${DIR}fbdocs-sampling-${name}__fluent-bit.yaml`);
    const config = resolveConfig(raw, registry);
    const p = config.inputs[0]!.processors.traces[0]!;
    assertEquals(p.plugin.name, "sampling");
    const inst = await p.plugin.create(p.options, context());
    assert(name === "probabilistic" ? inst.process !== undefined : inst.stage !== undefined);
  });
}

Deno.test("sampling: the docs' misplaced top-level sampling_percentage is used, with a warning", async () => {
  // Fluent Bit rejects this config ("unknown configuration property"): its processor checks
  // every key against the map of type, debug, sampling_settings and conditions.
  const raw = await loadConfigFile(`${DIR}fbdocs-sampling-probabilistic__fluent-bit.yaml`);
  const p = resolveConfig(raw, registry).inputs[0]!.processors.traces[0]!;
  assertEquals((p.options as SamplingOptions).sampling_settings.given.size, 0);
  assertEquals(p.options.sampling_percentage, 40);
  const sink = memorySink();
  const inst = await plugin.create(p.options as never, context(sink));
  assertStringIncludes(sink.lines.join(""), "belongs under sampling_settings");
  const below = new Uint8Array(16);
  below[7] = 1; // bucket 0.0001
  const above = new Uint8Array(16);
  new DataView(above.buffer).setUint32(4, 500_000); // bucket 50
  assert(traceBucket(above) >= 40);
  const out = inst.process!(
    traceChunk([span({ traceId: below }), span({ traceId: above })]),
  ) as TraceChunk;
  assertEquals(out.records.map((s) => s.traceId), [below], "40% applies, not the default 10%");
});

Deno.test("sampling: sampling_percentage inside sampling_settings wins over the top-level one", async () => {
  const raw = rawOf(samplingYaml(`
- name: sampling
  type: probabilistic
  sampling_percentage: 40
  sampling_settings: {sampling_percentage: 0}`));
  const p = resolveConfig(raw, registry).inputs[0]!.processors.traces[0]!;
  const inst = await plugin.create(p.options as never, context());
  assertEquals(inst.process!(traceChunk([span({ traceId: new Uint8Array(16) })])), null);
});

function problems(yaml: string): string[] {
  const e = assertThrows(
    () => resolveConfig(rawOf(samplingYaml(yaml)), registry),
    ConfigError,
  ) as ConfigError;
  return e.problems.map(formatProblem);
}

Deno.test("sampling: config errors carry the key's position and the detail", () => {
  assertEquals(
    problems(`
- name: sampling
  type: tail
  conditions:
    - {type: latency, threshold_ms_hihg: 5}`),
    [
      'fb.yaml:8:13: key "conditions": Cannot use sampling condition 1 (latency): unknown key ' +
      '"threshold_ms_hihg": did you mean "threshold_ms_high"?',
    ],
  );
  const [settings] = problems(`
- name: sampling
  type: tail
  sampling_settings: {decision_wiat: 5s}`);
  assertStringIncludes(settings!, 'did you mean "decision_wait"?');
  const [type] = problems(`
- name: sampling
  sampling_settings: {}`);
  assertStringIncludes(type!, 'key "type": required key is not set');
});

Deno.test("sampling: a tail processor from YAML holds spans and decides them on shutdown", async () => {
  const raw = rawOf(samplingYaml(`
- name: sampling
  type: tail
  sampling_settings: {decision_wait: 30s, decision_cache_keep_size: 10, max_traces_policy: drop_oldest}
  conditions:
    - type: drop
      conditions: [{type: string_attribute, key: http.target, values: [/health]}]
    - type: and
      conditions:
        - {type: latency, threshold_ms_high: 100, scope: trace}
        - {type: not, condition: {type: status_code, status_codes: [OK]}}`));
  const p = resolveConfig(raw, registry).inputs[0]!.processors.traces[0]!;
  const ctx = context();
  const inst = await plugin.create(p.options as never, ctx);
  const id = (n: number) => new Uint8Array(16).fill(n);
  const chunk = traceChunk([
    span({ traceId: id(1), durationMs: 150, status: 2 }),
    span({ traceId: id(2), durationMs: 150, status: 1 }),
    span({ traceId: id(3), durationMs: 150, status: 2, attributes: { "http.target": "/health" } }),
  ]);
  async function* one(): AsyncGenerator<Chunk> {
    yield chunk;
  }
  const out: Chunk[] = [];
  for await (const c of inst.stage!(one())) out.push(c);
  assertEquals(out.length, 1);
  assertEquals((out[0] as TraceChunk).records.map((s) => s.traceId[0]), [1]);
  const kept = ctx.metrics.value("sluice_sampling_traces_kept_total", { name: ctx.name });
  assertEquals(kept, 1);
  await inst.close?.();
});
