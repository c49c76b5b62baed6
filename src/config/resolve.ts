/**
 * Validates a raw config against the plugin registry and the option tables: every key of
 * every section is checked before anything starts, and all problems are thrown together.
 */
import type { Signal } from "../event/chunk.ts";
import {
  type FilterPlugin,
  type Plugin,
  type PluginRegistry,
  type ProcessorPlugin,
  signalsOf,
} from "../plugin.ts";
import {
  commonFilterOptions,
  type CommonFilterValues,
  commonInputOptions,
  type CommonInputValues,
  commonOutputOptions,
  type CommonOutputValues,
  commonProcessorOptions,
  type CommonProcessorValues,
  multilineParserOptions,
  type MultilineParserValues,
  parserOptions,
  type ParserValues,
  serviceOptions,
  type ServiceValues,
} from "./common_options.ts";
import {
  ConfigError,
  type ConfigProblem,
  type Pos,
  propOf,
  type RawConfig,
  type RawSection,
} from "./model.ts";
import type {
  FilterConfig,
  InputConfig,
  OutputConfig,
  PipelineConfig,
  ProcessorChains,
  ProcessorConfig,
} from "./resolved.ts";
import { sectionOptions } from "./section_options.ts";
import { didYouMean } from "./suggest.ts";

const SIGNALS: readonly Signal[] = ["logs", "traces", "metrics"];

/**
 * Checks a raw config against the registry and returns it typed, with defaults filled in
 * and instance names given; throws `ConfigError` listing every problem.
 *
 * @example
 * ```ts
 * import { registry } from "../../plugins/registry.ts";
 * import { assertEquals } from "../testing/assert.ts";
 * import { loadConfigFile } from "./load.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".yaml" });
 * await Deno.writeTextFile(
 *   file,
 *   "pipeline:\n  inputs:\n    - name: dummy\n      rate: 5\n" +
 *     "  outputs:\n    - name: stdout\n      match: '*'\n",
 * );
 * const pipeline = resolveConfig(await loadConfigFile(file), registry);
 * await Deno.remove(file);
 * assertEquals(pipeline.inputs.map((i) => [i.name, i.options.rate]), [["dummy.0", 5]]);
 * assertEquals(pipeline.outputs.map((o) => o.name), ["stdout.0"]);
 * ```
 */
export function resolveConfig(raw: RawConfig, registry: PluginRegistry): PipelineConfig {
  const r = new Resolver(registry);
  r.problems.push(...(raw.problems ?? []));
  const serviceSection: RawSection = {
    kind: "service",
    pos: raw.service[0]?.pos ?? { file: raw.file, line: 1, col: 1 },
    props: raw.service.flatMap((s) => s.props),
  };
  // Fluent Bit ignores keys it does not know in the service section: warn and run.
  const [service] = sectionOptions(serviceSection, [serviceOptions], {
    owner: "service",
    problems: r.problems,
    unknownAsWarnings: r.warnings,
  });
  const inputs = raw.inputs.flatMap((s) => r.input(s));
  const filters = raw.filters.flatMap((s) => r.filter(s));
  const outputs = raw.outputs.flatMap((s) => r.output(s));
  const parsers = raw.parsers.map((s) => ({
    values: sectionOptions(s, [parserOptions], {
      owner: "parser",
      problems: r.problems,
    })[0] as ParserValues,
    pos: s.pos,
  }));
  const multilineParsers = raw.multilineParsers.map((s) => ({
    values: sectionOptions(s, [multilineParserOptions], {
      owner: "multiline parser",
      problems: r.problems,
    })[0] as MultilineParserValues,
    pos: s.pos,
  }));
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return {
    file: raw.file,
    files: raw.files,
    service: service as ServiceValues,
    inputs,
    filters,
    outputs,
    parsers,
    multilineParsers,
    warnings: r.warnings,
  };
}

type Kind = "input" | "filter" | "output" | "processor";

class Resolver {
  readonly problems: ConfigProblem[] = [];
  /** Things Fluent Bit accepts silently that sluice skips, with a word to the user. */
  readonly warnings: ConfigProblem[] = [];
  /** Instances so far per kind and plugin name, for `<plugin>.<n>`. */
  private readonly counts: Record<Kind, Map<string, number>> = {
    input: new Map(),
    filter: new Map(),
    output: new Map(),
    processor: new Map(),
  };
  private readonly names: Record<Kind, Set<string>> = {
    input: new Set(),
    filter: new Set(),
    output: new Set(),
    processor: new Set(),
  };

  constructor(private readonly registry: PluginRegistry) {}

  input(section: RawSection): InputConfig[] {
    const plugin = this.plugin(section, "input", this.registry.inputs);
    const processors = this.chains(section);
    if (!plugin) return [];
    const owner = `input "${plugin.name}"`;
    const [options, common] = sectionOptions(section, [plugin.options, commonInputOptions], {
      owner,
      problems: this.problems,
    });
    const name = this.instanceName(section, "input", plugin, common.alias);
    return [{
      plugin,
      name,
      common: common as CommonInputValues,
      options,
      processors,
      pos: section.pos,
      keys: keyPositions(section),
    }];
  }

  filter(section: RawSection): FilterConfig[] {
    const plugin = this.plugin(section, "filter", this.registry.filters);
    if (!plugin) return [];
    const [options, common] = sectionOptions(section, [plugin.options, commonFilterOptions], {
      owner: `filter "${plugin.name}"`,
      problems: this.problems,
    });
    const name = this.instanceName(section, "filter", plugin, common.alias);
    return [{
      plugin,
      name,
      common: common as CommonFilterValues,
      options,
      pos: section.pos,
      keys: keyPositions(section),
    }];
  }

  output(section: RawSection): OutputConfig[] {
    const plugin = this.plugin(section, "output", this.registry.outputs);
    const processors = this.chains(section);
    if (!plugin) return [];
    const [options, common] = sectionOptions(section, [plugin.options, commonOutputOptions], {
      owner: `output "${plugin.name}"`,
      problems: this.problems,
    });
    const name = this.instanceName(section, "output", plugin, common.alias);
    return [{
      plugin,
      name,
      common: common as CommonOutputValues,
      options,
      processors,
      pos: section.pos,
      keys: keyPositions(section),
    }];
  }

  private chains(section: RawSection): ProcessorChains {
    const chains: ProcessorChains = { logs: [], traces: [], metrics: [] };
    for (const signal of SIGNALS) {
      for (const s of section.processors?.[signal] ?? []) {
        const p = this.processor(s, signal);
        if (p) chains[signal].push(p);
      }
    }
    return chains;
  }

  private processor(section: RawSection, signal: Signal): ProcessorConfig | undefined {
    const named = String(section.props.find((p) => p.key.toLowerCase() === "name")?.value ?? "");
    const misplaced = findPlugin(this.registry.processors, named);
    if (misplaced && !signalsOf(misplaced).includes(signal)) {
      // Fluent Bit accepts a processor under a signal it does not handle and never runs it.
      this.warnings.push({
        pos: section.pos,
        key: "name",
        message: `processor "${misplaced.name}" does not handle ${signal} and is skipped`,
        hint: `move it under processors.${signalsOf(misplaced)[0]}`,
      });
      return undefined;
    }
    const candidates = new Map<string, ProcessorPlugin | FilterPlugin>();
    for (const [n, p] of this.registry.processors) {
      if (signalsOf(p).includes(signal)) candidates.set(n, p);
    }
    for (const [n, p] of this.registry.filters) {
      if (!candidates.has(n) && (signal === "logs" || signalsOf(p).includes(signal))) {
        candidates.set(n, p);
      }
    }
    const plugin = this.plugin(section, `${signal} processor`, candidates, (name) => {
      const p = findPlugin(this.registry.processors, name) ??
        findPlugin(this.registry.filters, name);
      if (!p) return undefined;
      return p.kind === "filter"
        ? `filter "${p.name}" can be a processor for logs only, not ${signal}`
        : `processor "${p.name}" does not handle ${signal}: it handles ${signalsOf(p).join(", ")}`;
    });
    if (!plugin) return undefined;
    const [options, common] = sectionOptions(section, [plugin.options, commonProcessorOptions], {
      owner: `processor "${plugin.name}"`,
      problems: this.problems,
    });
    const name = this.instanceName(section, "processor", plugin, common.alias);
    return {
      plugin,
      name,
      common: common as CommonProcessorValues,
      options,
      pos: section.pos,
      keys: keyPositions(section),
    };
  }

  /** The section's plugin by its `name` key (case-insensitive), or a problem. */
  private plugin<P extends Plugin>(
    section: RawSection,
    what: string,
    available: ReadonlyMap<string, P>,
    whyNot?: (name: string) => string | undefined,
  ): P | undefined {
    const prop = propOf(section, "name");
    // `name: null` is YAML's null, but in a Fluent Bit config it names the null output.
    const raw = prop?.value === null ? "null" : prop?.value;
    if (!prop || raw === "" || typeof raw === "object") {
      const message = prop
        ? `expected a plugin name for ${what}`
        : `required key is not set for ${what}`;
      this.problems.push({ pos: prop?.pos ?? section.pos, key: "name", message });
      return undefined;
    }
    const name = String(raw);
    const plugin = findPlugin(available, name);
    if (plugin) return plugin;
    const reason = whyNot?.(name);
    const names = [...available.keys()].sort();
    const list = names.length ? `available: ${names.join(", ")}` : "none is available";
    this.problems.push({
      pos: prop.pos,
      key: prop.key,
      message: reason ?? `unknown ${what} plugin "${name}": ${list}`,
      hint: reason ? undefined : didYouMean(name, names),
    });
    return undefined;
  }

  /** Alias, else `<plugin>.<n>` counting instances of the plugin within its kind. */
  private instanceName(section: RawSection, kind: Kind, plugin: Plugin, alias: unknown): string {
    // Fluent Bit numbers inputs, filters and outputs across every plugin of the kind
    // (`instance_id()` in flb_input.c, flb_filter.c, flb_output.c): `-i cpu -i mem` gives
    // cpu.0 and mem.1, and the number is taken even when an alias names the instance.
    // Processors are numbered per plugin.
    const counter = kind === "processor" ? plugin.name : "";
    const n = this.counts[kind].get(counter) ?? 0;
    this.counts[kind].set(counter, n + 1);
    const name = typeof alias === "string" && alias !== "" ? alias : `${plugin.name}.${n}`;
    if (this.names[kind].has(name)) {
      const prop = propOf(section, "alias");
      this.problems.push({
        pos: prop?.pos ?? section.pos,
        key: "alias",
        message: `${kind} name "${name}" is already used by another ${kind}`,
      });
    }
    this.names[kind].add(name);
    return name;
  }
}

function findPlugin<P>(map: ReadonlyMap<string, P>, name: string): P | undefined {
  const exact = map.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const [k, p] of map) if (k.toLowerCase() === lower) return p;
  return undefined;
}

/** Where each key of a section was written (lowercase key; the last occurrence wins). */
function keyPositions(section: RawSection): Record<string, Pos> {
  const out: Record<string, Pos> = {};
  for (const p of section.props) out[p.key.toLowerCase()] = p.pos;
  return out;
}
