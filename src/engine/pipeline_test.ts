import { assert, assertEquals } from "../testing/assert.ts";
import {
  commonFilterOptions,
  commonInputOptions,
  type CommonInputValues,
  commonOutputOptions,
  type CommonOutputValues,
  serviceOptions,
} from "../config/common_options.ts";
import { defaultsOf } from "../config/options.ts";
import type {
  InputConfig,
  OutputConfig,
  PipelineConfig,
  ProcessorChains,
} from "../config/resolved.ts";
import type { Chunk } from "../event/chunk.ts";
import { EventTime } from "../event/event_time.ts";
import type { LogRecord } from "../event/log_record.ts";
import { noParsers } from "../parsers/types.ts";
import { buildPipeline, DEFAULT_MEM_BUF_LIMIT } from "./build.ts";
import { RetryableError } from "./errors.ts";
import { Logger, memorySink } from "./log.ts";
import { MetricsRegistry } from "./metrics.ts";
import { Pipeline } from "./pipeline.ts";
import {
  defineFilter,
  defineInput,
  defineOutput,
  defineProcessor,
  type InputContext,
} from "../plugin.ts";
import { commonProcessorOptions } from "../config/common_options.ts";

const pos = { file: "test.yaml", line: 1, col: 1 };
const noProcessors = (): ProcessorChains => ({ logs: [], traces: [], metrics: [] });

function counting(n: number, perChunk: number, onPull?: () => void) {
  return defineInput({
    name: "counting",
    description: "test input",
    example: { options: {}, feed: { kind: "generates", records: 0 } },
    options: {},
    create(_o, ctx: InputContext) {
      async function* gen() {
        for (let i = 0; i < n; i += perChunk) {
          onPull?.();
          const records: LogRecord[] = [];
          for (let j = i; j < Math.min(n, i + perChunk); j++) {
            records.push({ time: new EventTime(j, 0), metadata: {}, body: { n: j } });
          }
          yield ctx.chunk(records, { bytes: records.length * 10 });
        }
      }
      return { chunks: gen() };
    },
  });
}

function collecting(seen: number[], failFirst = 0) {
  let failures = failFirst;
  return defineOutput({
    name: "collect",
    description: "test output",
    example: { options: {} },
    options: {},
    create() {
      return {
        write(chunk: Chunk) {
          if (failures-- > 0) return Promise.reject(new RetryableError("not yet"));
          for (const r of chunk.records as LogRecord[]) seen.push(r.body.n as number);
          return Promise.resolve();
        },
      };
    },
  });
}

const dropOdd = defineFilter({
  name: "drop_odd",
  description: "test filter",
  example: { options: {} },
  options: {},
  create: () => ({
    process: (
      c,
    ) => ({
      ...c,
      records: (c.records as LogRecord[]).filter((r) => (r.body.n as number) % 2 === 0),
    } as Chunk),
  }),
});

function inputOf(
  plugin: ReturnType<typeof defineInput>,
  common: Partial<CommonInputValues> = {},
): InputConfig {
  const values = { ...defaultsOf(commonInputOptions), ...common };
  return {
    plugin,
    name: "counting.0",
    common: values,
    options: {},
    processors: noProcessors(),
    pos,
  };
}

function outputOf(
  plugin: ReturnType<typeof defineOutput>,
  common: Partial<CommonOutputValues> = {},
): OutputConfig {
  const values = { ...defaultsOf(commonOutputOptions), match: "*", ...common };
  return {
    plugin,
    name: "collect.0",
    common: values,
    options: {},
    processors: noProcessors(),
    pos,
  };
}

function config(parts: Partial<PipelineConfig>): PipelineConfig {
  const service = {
    ...defaultsOf(serviceOptions),
    flush: 0.01,
    "scheduler.base": 0.01,
    "scheduler.cap": 0.02,
  };
  return {
    file: "test.yaml",
    files: [],
    service,
    inputs: [],
    filters: [],
    outputs: [],
    parsers: [],
    multilineParsers: [],
    ...parts,
  };
}

async function runToEnd(cfg: PipelineConfig, metrics = new MetricsRegistry()) {
  const sink = memorySink();
  const log = new Logger({ sink, level: "info" });
  const built = await buildPipeline(cfg, { log, metrics, parsers: noParsers });
  const p = new Pipeline(built, { log, metrics });
  await p.run();
  const lost = await p.drain({ grace: 5, mode: "progress" });
  await p.close();
  return { metrics, lost, lines: sink.lines };
}

Deno.test("pipeline delivers every record in order, filters applied on matching tags", async () => {
  const seen: number[] = [];
  const { metrics, lost } = await runToEnd(config({
    inputs: [inputOf(counting(1000, 64), { tag: "app.x" })],
    filters: [{
      plugin: dropOdd,
      name: "drop_odd.0",
      common: { ...defaultsOf(commonFilterOptions), match: "app.*" },
      options: {},
      pos,
    }],
    outputs: [outputOf(collecting(seen))],
  }));
  assertEquals(lost, 0);
  assertEquals(seen.length, 500);
  assert(seen.every((n, i) => n === i * 2), "records arrive in order");
  assertEquals(metrics.value("fluentbit_input_records_total", { name: "counting.0" }), 1000);
  assertEquals(metrics.value("fluentbit_filter_drop_records_total", { name: "drop_odd.0" }), 500);
  assertEquals(metrics.value("fluentbit_output_proc_records_total", { name: "collect.0" }), 500);
});

Deno.test("pipeline retries a failing output and counts the retries", async () => {
  const seen: number[] = [];
  const { metrics } = await runToEnd(config({
    inputs: [inputOf(counting(10, 10))],
    outputs: [outputOf(collecting(seen, 2), { retry_limit: 5 })],
  }));
  assertEquals(seen.length, 10);
  assertEquals(metrics.value("fluentbit_output_retries_total", { name: "collect.0" }), 2);
});

Deno.test("pipeline counts records dropped after retry_limit", async () => {
  const seen: number[] = [];
  const { metrics } = await runToEnd(config({
    inputs: [inputOf(counting(10, 10))],
    outputs: [outputOf(collecting(seen, 100), { retry_limit: 1 })],
  }));
  assertEquals(seen.length, 0);
  assertEquals(metrics.value("fluentbit_output_retries_failed_total", { name: "collect.0" }), 1);
  assertEquals(metrics.value("fluentbit_output_dropped_records_total", { name: "collect.0" }), 10);
});

Deno.test("pipeline pauses an input over mem_buf_limit and resumes it as acks drain", async () => {
  const seen: number[] = [];
  const metrics = new MetricsRegistry();
  const paused = () =>
    metrics.value("fluentbit_input_ingestion_paused", { name: "counting.0" }) === 1;
  let pulledWhilePaused = 0;
  const { lines } = await runToEnd(
    config({
      inputs: [inputOf(counting(2000, 10, () => void (paused() && pulledWhilePaused++)), {
        mem_buf_limit: 500,
      })],
      outputs: [outputOf(collecting(seen))],
    }),
    metrics,
  );
  assertEquals(seen.length, 2000);
  const pauses = lines.filter((l) => l.includes("paused (mem buf overlimit")).length;
  const resumes = lines.filter((l) => l.includes("resume (mem buf below limit)")).length;
  assert(pauses > 0, "the input was paused");
  assertEquals(resumes, pauses, "and resumed each time");
  assertEquals(pulledWhilePaused, 0, "a paused input is not pulled");
  assertEquals(paused(), false);
});

const holding = defineProcessor({
  name: "holding",
  description: "test processor that declares what it may hold",
  example: { options: {} },
  options: {},
  create: () => ({ stage: (chunks) => chunks, maxHeldBytes: 1_000_000 }),
});

Deno.test("an input's default buffer cap grows by what its holding processors may keep", async () => {
  const log = new Logger({ sink: memorySink(), level: "error" });
  const metrics = new MetricsRegistry();
  const input = (memBufLimit: number) => ({
    plugin: counting(1, 1),
    name: `counting.${memBufLimit}`,
    common: { ...defaultsOf(commonInputOptions), mem_buf_limit: memBufLimit },
    options: {},
    processors: {
      ...noProcessors(),
      logs: [{
        plugin: holding,
        name: "holding.0",
        common: defaultsOf(commonProcessorOptions),
        options: {},
        pos,
      }],
    },
    pos,
  });
  const built = await buildPipeline(config({ inputs: [input(0), input(5000)] }), {
    log,
    metrics,
    parsers: noParsers,
  });
  assertEquals(built.inputs[0]!.limit.limit, DEFAULT_MEM_BUF_LIMIT + 1_000_000);
  assertEquals(built.inputs[1]!.limit.limit, 5000, "an explicit mem_buf_limit is kept");
  const p = new Pipeline(built, { log, metrics });
  await p.close();
});
