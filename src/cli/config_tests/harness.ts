/**
 * Runs one `sluice test` case through a config's own pipeline with its inputs and outputs
 * swapped out: the chosen input becomes a feed that yields the case's records once (its
 * tag, routes and processors kept), every output becomes a capture (its match and
 * processors kept), and one more capture matching every tag sees what leaves the filters.
 * Nothing is read or sent, nothing is stored on disk, and the monitoring server stays off.
 */
import { commonOutputOptions } from "../../config/common_options.ts";
import { defaultsOf } from "../../config/options.ts";
import type { OutputConfig, PipelineConfig } from "../../config/resolved.ts";
import type { LogChunk } from "../../event/chunk.ts";
import type { LogRecord } from "../../event/log_record.ts";
import { Logger, type LogLevel, memorySink } from "../../engine/log.ts";
import { MetricsRegistry } from "../../engine/metrics.ts";
import { defineInput, defineOutput } from "../../plugin.ts";
import { assemblePipeline } from "../../service.ts";
import type { ConfigTestCase } from "./spec.ts";

/** What one case produced. */
export interface CaseRun {
  /** Tag to the records that left the filters with it, in order. */
  filtered: Map<string, LogRecord[]>;
  /** Output name to the records it received after its processors, in order. */
  outputs: Map<string, LogRecord[]>;
  /** Warnings and errors the pipeline logged while the case ran. */
  log: string[];
}

/** The name of the capture that sees every record leaving the filters. */
const FILTERED = "sluice_test.filtered";

function collect(into: Map<string, LogRecord[]>, key: (c: LogChunk) => string) {
  return defineOutput({
    name: "sluice_test_capture",
    description: "Keeps what it is given (sluice test)",
    options: {},
    example: { options: {} },
    create: () => ({
      write(chunk) {
        if (chunk.signal !== "logs") return Promise.resolve();
        const k = key(chunk);
        into.set(k, [...(into.get(k) ?? []), ...chunk.records]);
        return Promise.resolve();
      },
    }),
  });
}

function feed(records: LogRecord[], tag: string | undefined) {
  return defineInput({
    name: "sluice_test_feed",
    description: "Yields the test's records once (sluice test)",
    options: {},
    example: { options: {}, feed: { kind: "generates", records: records.length } },
    create: (_, ctx) => ({
      chunks: (async function* () {
        if (records.length > 0) yield ctx.chunk(records.map((r) => ({ ...r })), { tag });
      })(),
    }),
  });
}

/** The config's input a case names (or its first), or a RangeError naming the choices. */
function chosenInput(config: PipelineConfig, c: ConfigTestCase) {
  const input = c.input === undefined
    ? config.inputs[0]
    : config.inputs.find((i) => i.name === c.input || i.common.alias === c.input);
  if (input) return input;
  const names = config.inputs.map((i) => i.name).join(", ") || "none";
  throw new RangeError(
    c.input === undefined
      ? "the config has no input to take the records' tag and processors from"
      : `no input named "${c.input}" in the config (inputs: ${names})`,
  );
}

/** Runs case `c` on `config`; resolves when every record has passed through. */
export async function runCase(
  config: PipelineConfig,
  c: ConfigTestCase,
  deps: { level: LogLevel },
): Promise<CaseRun> {
  const input = chosenInput(config, c);
  const filtered = new Map<string, LogRecord[]>();
  const outputs = new Map<string, LogRecord[]>();
  const everything: OutputConfig = {
    plugin: collect(filtered, (chunk) => chunk.tag),
    name: FILTERED,
    common: { ...defaultsOf(commonOutputOptions), name: "sluice_test_capture", match: "*" },
    options: {},
    processors: { logs: [], metrics: [], traces: [] },
    pos: input.pos,
  };
  const tested: PipelineConfig = {
    ...config,
    service: {
      ...config.service,
      flush: 0.05,
      http_server: false,
      hot_reload: false,
      "storage.path": undefined,
      "storage.keep.rejected": false,
    },
    inputs: [{
      ...input,
      plugin: feed(c.records, c.tag),
      options: {},
      common: { ...input.common, "storage.type": "memory" },
    }],
    outputs: [
      ...config.outputs.map((o) => ({
        ...o,
        plugin: collect(outputs, () => o.name),
        options: {},
        common: { ...o.common, workers: 1 },
      })),
      everything,
    ],
  };
  const lines = memorySink();
  const log = new Logger({ level: deps.level, sink: lines });
  const pipeline = await assemblePipeline(tested, log, { metrics: new MetricsRegistry() });
  try {
    await pipeline.run();
    await pipeline.drain({ grace: 5, mode: "progress" });
  } finally {
    await pipeline.close();
  }
  return { filtered, outputs, log: lines.lines };
}
