/**
 * A small plugin registry and config helpers for the resolver's tests (the real plugins
 * are written elsewhere); imported only by tests in this folder.
 */
import { assertEquals, assertThrows } from "../testing/assert.ts";
import {
  defineFilter,
  defineInput,
  defineOutput,
  defineProcessor,
  makeRegistry,
  type PluginRegistry,
} from "../plugin.ts";
import { ConfigError, emptyRawConfig, formatProblem, type RawConfig } from "./model.ts";
import { opt } from "./options.ts";
import type { ParsedFile } from "./parsed.ts";
import { resolveConfig } from "./resolve.ts";
import { parseYamlConfig } from "./yaml_loader.ts";

async function* noChunks(): AsyncGenerator<never> {}

/** dummy, tail, opentelemetry inputs; grep filter; sampling, content_modifier processors; stdout. */
export const registry: PluginRegistry = makeRegistry([
  defineInput({
    name: "dummy",
    description: "Generates records",
    example: { options: {}, feed: { kind: "generates", records: 0 } },
    options: {
      rate: opt.int(1, "Events per second"),
      dummy: opt.string('{"message":"dummy"}', "The record"),
      interval: opt.duration(1, "Interval"),
      samples: opt.int(0, "Records to send", {
        check: (v) => v < 0 ? "expected 0 or more" : undefined,
      }),
    },
    create: () => ({ chunks: noChunks() }),
  }),
  defineInput({
    name: "tail",
    description: "Follows files",
    example: { options: {}, feed: { kind: "generates", records: 0 } },
    options: {
      path: opt.string(undefined, "Files", { required: true }),
      read_from_head: opt.bool(false, "Start at the head"),
    },
    create: () => ({ chunks: noChunks() }),
  }),
  defineInput({
    name: "opentelemetry",
    description: "OTLP receiver",
    example: { options: {}, feed: { kind: "generates", records: 0 } },
    signals: ["logs", "traces", "metrics"],
    options: { port: opt.int(4318, "Port") },
    create: () => ({ chunks: noChunks() }),
  }),
  defineFilter({
    name: "grep",
    description: "Keeps matching records",
    example: { options: {} },
    options: {
      regex: opt.multi("KEY REGEX to keep"),
      exclude: opt.multi("KEY REGEX to drop"),
      logical_op: opt.string("legacy", "How rules combine", { choices: ["legacy", "and", "or"] }),
    },
    create: () => ({ process: (c) => c }),
  }),
  defineProcessor({
    name: "sampling",
    description: "Samples traces",
    example: { options: {} },
    signals: ["traces"],
    options: {
      type: opt.string(undefined, "Sampler", {
        required: true,
        choices: ["probabilistic", "tail"],
      }),
      sampling_settings: opt.map("Settings"),
      conditions: opt.any("Conditions"),
    },
    create: () => ({ process: (c) => c }),
  }),
  defineProcessor({
    name: "content_modifier",
    description: "Edits records",
    example: { options: {} },
    signals: ["logs", "traces", "metrics"],
    options: { action: opt.string(undefined, "Action"), key: opt.string(undefined, "Key") },
    create: () => ({ process: (c) => c }),
  }),
  defineOutput({
    name: "stdout",
    description: "Prints records",
    example: { options: {} },
    options: {
      format: opt.string("msgpack", "Format", { choices: ["msgpack", "json", "json_lines"] }),
      workers: opt.int(1, "Workers"),
    },
    create: () => ({ write: () => Promise.resolve() }),
  }),
]);

/** A raw config from a parsed file, which must have no problems. */
export function rawOf(parsed: ParsedFile, file: string): RawConfig {
  assertEquals(parsed.problems, []);
  const raw = emptyRawConfig(file, [file]);
  for (const item of parsed.items) {
    if (item.type !== "section") continue;
    const s = item.section;
    if (s.kind === "service") raw.service.push(s);
    else if (s.kind === "input") raw.inputs.push(s);
    else if (s.kind === "filter") raw.filters.push(s);
    else if (s.kind === "output") raw.outputs.push(s);
    else if (s.kind === "parser") raw.parsers.push(s);
    else if (s.kind === "multiline_parser") raw.multilineParsers.push(s);
  }
  return raw;
}

/** A raw config from YAML text, as file `fb.yaml`. */
export function yaml(text: string): RawConfig {
  return rawOf(parseYamlConfig(text, "fb.yaml"), "fb.yaml");
}

/** The formatted problems `resolveConfig` throws for the config. */
export function problemsOf(raw: RawConfig): string[] {
  const e = assertThrows(() => resolveConfig(raw, registry), ConfigError) as ConfigError;
  return e.problems.map(formatProblem);
}
