/**
 * The pipeline as a graph for the status page and `sluice top`: inputs, filters and outputs
 * with their processors, and the edges a record can take from its input's tag through the
 * filters that match it to the outputs that match it, as the config says.
 */
import type { PipelineConfig, ProcessorChains } from "../config/resolved.ts";
import { compileTagMatcher, type TagMatcher } from "../engine/router.ts";

/** One node of the graph. */
export interface TopologyNode {
  name: string;
  /** The plugin's name (`tail`, `grep`, ...). */
  plugin: string;
  kind: "input" | "filter" | "output";
  /** An input's tag, or a filter's or output's `match` (or `match_regex`, written `/re/`). */
  tag: string;
  /** Processor instance names in chain order (inputs and outputs). */
  processors: string[];
}

/** A step from one node to the next that records of some tag take. */
export interface TopologyEdge {
  from: string;
  to: string;
}

/** The whole graph. */
export interface Topology {
  inputs: TopologyNode[];
  filters: TopologyNode[];
  outputs: TopologyNode[];
  edges: TopologyEdge[];
}

function processorNames(chains: ProcessorChains): string[] {
  return [...chains.logs, ...chains.traces, ...chains.metrics].map((p) => p.name);
}

function matchText(common: { match?: string; match_regex?: string }): string {
  if (common.match_regex) return `/${common.match_regex}/`;
  return common.match ?? "";
}

/**
 * A tag a static check can test matchers with: a tag with `*` (tail's per-file tags) is
 * expanded at run time, so it is probed as written and with each `*` as some text.
 */
function tagMatches(matcher: TagMatcher, tag: string): boolean {
  return matcher(tag) || (tag.includes("*") && matcher(tag.replaceAll("*", "_")));
}

/**
 * The graph of a validated config: each input's tag runs through the filters that match it,
 * in order, then to every output that matches it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { resolveConfig } from "../config/resolve.ts";
 * import { rawConfigFromArgs } from "../config/quick_mode.ts";
 * import { quickArgs } from "../cli/quick_args.ts";
 * import { registry } from "../../plugins/registry.ts";
 *
 * const argv = ["-i", "dummy", "-t", "app", "-F", "grep", "-p", "regex=a b", "-m", "app",
 *   "-o", "null", "-m", "*"];
 * const config = resolveConfig(rawConfigFromArgs(quickArgs(argv)), registry);
 * const t = topologyFromConfig(config);
 * assertEquals(t.edges, [{ from: "dummy.0", to: "grep.0" }, { from: "grep.0", to: "null.0" }]);
 * ```
 */
export function topologyFromConfig(config: PipelineConfig): Topology {
  const inputs: TopologyNode[] = config.inputs.map((i) => ({
    name: i.name,
    plugin: i.plugin.name,
    kind: "input",
    tag: i.common.tag ?? i.name,
    processors: processorNames(i.processors),
  }));
  const filters = config.filters.map((f) => ({
    node: {
      name: f.name,
      plugin: f.plugin.name,
      kind: "filter" as const,
      tag: matchText(f.common),
      processors: [],
    },
    matcher: compileTagMatcher({ match: f.common.match, matchRegex: f.common.match_regex }),
  }));
  const outputs = config.outputs.map((o) => ({
    node: {
      name: o.name,
      plugin: o.plugin.name,
      kind: "output" as const,
      tag: matchText(o.common),
      processors: processorNames(o.processors),
    },
    matcher: compileTagMatcher({ match: o.common.match, matchRegex: o.common.match_regex }),
  }));
  const edges: TopologyEdge[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string) => {
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to });
  };
  for (const input of inputs) {
    let last = input.name;
    for (const f of filters) {
      if (!tagMatches(f.matcher, input.tag)) continue;
      add(last, f.node.name);
      last = f.node.name;
    }
    for (const o of outputs) {
      if (tagMatches(o.matcher, input.tag)) add(last, o.node.name);
    }
  }
  return {
    inputs,
    filters: filters.map((f) => f.node),
    outputs: outputs.map((o) => o.node),
    edges,
  };
}
