/**
 * `sluice plugins` and `sluice plugins NAME`: the list of plugins, and each
 * option's type, default and description, generated from the option tables.
 */
import {
  commonFilterOptions,
  commonInputOptions,
  commonOutputOptions,
  commonProcessorOptions,
  serviceOptions,
} from "../config/common_options.ts";
import { describeDefault, describeType, type OptionTable } from "../config/options.ts";
import { type Plugin, type PluginRegistry, signalsOf } from "../plugin.ts";
import { httpClientOptions } from "../net/http_client/mod.ts";
import { NET_OPTION_TABLES } from "../net/options.ts";

/** A section of `sluice plugins NAME`: the keys of a plugin that are the specs of `tables`. */
export interface SharedOptionSection {
  /** The section's heading. */
  title: string;
  /** The shared tables whose specs (the very objects) the section shows. */
  tables: readonly OptionTable[];
}

/**
 * Option tables plugins share by spreading them into their own: a plugin's keys that
 * are these very specs are shown once, in their own section, after its own keys, in this
 * order. A spec in several sections (the HTTP client spreads the TLS keys) is shown in the
 * last one.
 */
export const SHARED_OPTION_TABLES: readonly SharedOptionSection[] = [
  {
    title: "HTTP client options (shared by HTTP outputs; proxy, headers, auth)",
    tables: [httpClientOptions],
  },
  {
    title: "TLS and net.* options (shared by every network plugin)",
    tables: NET_OPTION_TABLES,
  },
];

/** The index of the section showing `spec` under `key`, or -1 when it is the plugin's own. */
function sectionOf(key: string, spec: unknown): number {
  for (let i = SHARED_OPTION_TABLES.length - 1; i >= 0; i--) {
    if (SHARED_OPTION_TABLES[i]!.tables.some((t) => t[key] === spec)) return i;
  }
  return -1;
}

const KIND_TITLES = [
  ["inputs", "Inputs"],
  ["filters", "Filters"],
  ["processors", "Processors"],
  ["outputs", "Outputs"],
] as const;

/** Every plugin by kind, one line each. */
export function listPlugins(registry: PluginRegistry): string {
  const lines: string[] = [];
  for (const [key, title] of KIND_TITLES) {
    lines.push(`${title}`);
    const names = [...registry[key].keys()].sort();
    const width = Math.max(0, ...names.map((n) => n.length));
    for (const name of names) {
      lines.push(`  ${name.padEnd(width)}  ${registry[key].get(name)!.description}`);
    }
    lines.push("");
  }
  lines.push(
    "Service keys (http_server, http_listen, http_server.token, ...): sluice plugins service",
  );
  return lines.join("\n");
}

/**
 * The `service` section's keys, for `sluice plugins service`: the monitoring server listens on
 * 127.0.0.1 unless `http_listen` says otherwise (Fluent Bit: 0.0.0.0).
 */
export function describeService(): string {
  return [
    "service section: the process's settings",
    "",
    "The monitoring server (http_server on, or -H) listens on 127.0.0.1:2020 by default, not on",
    "Fluent Bit's 0.0.0.0: set http_listen 0.0.0.0 to reach it from other hosts, and",
    "http_server.token to make POST/PUT requests (reload) and the tap (sluice tap) carry",
    "Authorization: Bearer <token>.",
    "",
    "Options:",
    ...table(serviceOptions),
    "",
  ].join("\n");
}

type Row = [key: string, type: string, defaultValue: string, description: string];

function table(options: OptionTable): string[] {
  const rows = Object.entries(options).map((
    [k, s],
  ): Row => [k, describeType(s), describeDefault(s), s.description]);
  const w0 = Math.max(3, ...rows.map((r) => r[0].length));
  const w1 = Math.max(4, ...rows.map((r) => r[1].length));
  const w2 = Math.max(7, ...rows.map((r) => r[2].length));
  const line = (r: Row) => `  ${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2].padEnd(w2)}  ${r[3]}`;
  return [line(["KEY", "TYPE", "DEFAULT", "DESCRIPTION"]), ...rows.map(line)];
}

function commonOf(p: Plugin): OptionTable {
  switch (p.kind) {
    case "input":
      return commonInputOptions;
    case "filter":
      return commonFilterOptions;
    case "processor":
      return commonProcessorOptions;
    case "output": {
      // The plugin's own defaults for common keys (http: 2 workers) show as the default.
      const workers = p.defaults?.workers;
      if (workers === undefined) return commonOutputOptions;
      return {
        ...commonOutputOptions,
        workers: { ...commonOutputOptions.workers, default: workers },
      };
    }
  }
}

/** The help of every plugin called `name` (an input and an output may share one), or undefined. */
export function describePlugin(registry: PluginRegistry, name: string): string | undefined {
  const found = KIND_TITLES.map(([k]) => registry[k].get(name)).filter((p): p is Plugin => !!p);
  if (found.length === 0) return undefined;
  return found.map((p) => {
    const own: OptionTable = {};
    const shared = SHARED_OPTION_TABLES.map(({ title }) => ({ title, options: {} as OptionTable }));
    for (const [key, spec] of Object.entries(p.options)) {
      const i = sectionOf(key, spec);
      (shared[i]?.options ?? own)[key] = spec;
    }
    const sections = shared.filter((t) => Object.keys(t.options).length > 0)
      .flatMap((t) => [`${t.title}:`, ...table(t.options), ""]);
    return [
      `${p.kind} plugin "${p.name}": ${p.description}`,
      `signals: ${signalsOf(p).join(", ")}`,
      "",
      ...(Array.isArray(p.notes) && p.notes.length > 0
        ? ["Differences from Fluent Bit:", ...p.notes.map((n) => `  - ${n}`), ""]
        : []),
      "Options:",
      ...table(own),
      "",
      ...sections,
      `Common ${p.kind} options:`,
      ...table(commonOf(p)),
      "",
      ...(typeof p.notes === "string" ? [p.notes.trim(), ""] : []),
    ].join("\n");
  }).join("\n");
}
