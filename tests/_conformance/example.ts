/**
 * A plugin's example as the conformance test uses it: checked to be there (with a message
 * saying what to add when not), its placeholders filled, and its options parsed by the
 * config's own resolver into the values `create` receives.
 */
import { emptyRawConfig, type RawConfig, type RawSection } from "../../src/config/model.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import { type Plugin, type PluginRegistry, signalsOf } from "../../src/plugin.ts";

const pos = { file: "conformance.yaml", line: 1, col: 1 };

/** What the `${TEST_...}` placeholders stand for. */
export interface Placeholders {
  dir: string;
  httpPort: number;
  tcpPort: number;
  udpPort: number;
  forwardPort: number;
  /** A private PostgreSQL (user sluice, password secret, database fluentbit); 0 when none. */
  pgPort?: number;
  /** A private nats-server with JetStream; 0 when none. */
  natsPort?: number;
}

/** `v` with the placeholders filled when it is a string. */
export function fill<T>(v: T, env: Placeholders): T {
  if (typeof v !== "string") return v;
  return v.replaceAll("${TEST_DIR}", env.dir)
    .replaceAll("${TEST_HTTP_PORT}", String(env.httpPort))
    .replaceAll("${TEST_TCP_PORT}", String(env.tcpPort))
    .replaceAll("${TEST_UDP_PORT}", String(env.udpPort))
    .replaceAll("${TEST_FORWARD_PORT}", String(env.forwardPort))
    .replaceAll("${TEST_PG_PORT}", String(env.pgPort ?? 0))
    .replaceAll("${TEST_NATS_PORT}", String(env.natsPort ?? 0)) as T;
}

/**
 * Why `p` cannot be run by the conformance test (no example, or an input's without a
 * feed), saying exactly what to add; undefined when its example is there.
 */
export function missingExample(p: Plugin): string | undefined {
  const where = `plugins/${p.kind}s/${p.name}/mod.ts`;
  const ex = (p as { example?: { options?: unknown; feed?: unknown } }).example;
  const shape = p.kind === "input"
    ? `example: { options: { /* keys it needs, {} if none */ }, feed: { kind: "generates" | ` +
      `"file" | "http" | "tcp" | "udp" | "bytes" | "stdin", records: N, ... } } (InputExample and InputFeed in src/plugin.ts)`
    : `example: { options: { /* keys it needs, {} if none */ }, samples?: { ${
      signalsOf(p).map((s) => `${s}?: [...]`).join(", ")
    } } } (PluginExample in src/plugin.ts)`;
  if (!ex || typeof ex.options !== "object" || ex.options === null) {
    return `${p.kind} "${p.name}" has no example: add to its definition in ${where}: ${shape}`;
  }
  if (p.kind === "input" && !ex.feed) {
    return `input "${p.name}" has an example without a feed: add to it in ${where}: ${shape}`;
  }
  return undefined;
}

function section(p: Plugin, env: Placeholders, extra: Record<string, unknown>): RawSection {
  const options = { name: p.name, ...p.example.options, ...extra };
  const props = Object.entries(options).map(([key, value]) => ({
    key,
    value: fill(value, env),
    pos,
  }));
  if (p.kind === "output" || p.kind === "filter") props.push({ key: "match", value: "*", pos });
  return { kind: p.kind === "processor" ? "input" : p.kind, pos, props };
}

/** A config holding `p` with its example options and `extra` (a processor under a dummy input). */
export function rawWith(
  p: Plugin,
  env: Placeholders,
  extra: Record<string, unknown> = {},
): RawConfig {
  const raw = emptyRawConfig("conformance.yaml");
  if (p.kind === "processor") {
    const host: RawSection = { kind: "input", pos, props: [{ key: "name", value: "dummy", pos }] };
    host.processors = {
      [signalsOf(p)[0]!]: [{ ...section(p, env, extra), kind: "processor" }],
    };
    raw.inputs.push(host);
  } else {
    raw[`${p.kind}s`].push(section(p, env, extra));
  }
  return raw;
}

/** `p`'s example options parsed as the engine parses a config: the values `create` receives. */
export function exampleValues(
  p: Plugin,
  registry: PluginRegistry,
  env: Placeholders,
): Record<string, unknown> {
  const config = resolveConfig(rawWith(p, env), registry);
  switch (p.kind) {
    case "input":
      return config.inputs[0]!.options;
    case "filter":
      return config.filters[0]!.options;
    case "output":
      return config.outputs[0]!.options;
    case "processor":
      return config.inputs[0]!.processors[signalsOf(p)[0]!][0]!.options;
  }
}
