/**
 * The config entry points: read a YAML or classic file with its includes and parsers
 * files, expand variables, and return every section with its position, or throw one
 * `ConfigError` holding every problem found.
 */
import { dirname, extname, isAbsolute, join, resolve } from "node:path";
import { parseClassicConfig } from "./classic_loader.ts";
import { expandGlob, hasWildcard } from "./glob.ts";
import {
  ConfigError,
  type ConfigProblem,
  emptyRawConfig,
  type Pos,
  type RawConfig,
  type SectionKind,
} from "./model.ts";
import type { FileItem } from "./parsed.ts";
import { expandSections, expandString, makeLookup, type VarLookup } from "./variables.ts";
import { parseYamlConfig } from "./yaml_loader.ts";

/** Options for {@link loadConfigFile}. */
export interface LoadOptions {
  /** The environment `${VAR}` reads after the config's own `env`; defaults to the process's. */
  env?: Record<string, string>;
}

/** The two config formats. */
export type ConfigFormat = "yaml" | "classic";

/**
 * The format of a config file: by extension (`.yaml`/`.yml`, `.conf`), else by its content.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(formatOf("fluent-bit.conf", ""), "classic");
 * assertEquals(formatOf("/dev/stdin", "[INPUT]\n    Name dummy\n"), "classic");
 * assertEquals(formatOf("/dev/stdin", "pipeline:\n  inputs: []\n"), "yaml");
 * ```
 */
export function formatOf(path: string, text: string): ConfigFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".conf") return "classic";
  const classic = /^\s*\[[A-Za-z_ ]+\]\s*$/m.test(text) || /^\s*@(include|set)\s/im.test(text);
  return classic ? "classic" : "yaml";
}

/**
 * Loads a config file, its includes and its `service.parsers_file` files, with variables
 * expanded; throws `ConfigError` listing every problem (a missing file at the position
 * that names it). Variables that are not set alone do not stop it: they are kept in
 * `problems` for `resolveConfig` to report with the rest.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".yaml" });
 * await Deno.writeTextFile(file, "service:\n  http_port: ${PORT}\n");
 * const raw = await loadConfigFile(file, { env: { PORT: "2020" } });
 * await Deno.remove(file);
 * assertEquals(raw.service[0]?.props.map((p) => [p.key, p.value]), [["http_port", "2020"]]);
 * ```
 */
export async function loadConfigFile(path: string, options: LoadOptions = {}): Promise<RawConfig> {
  const loader = new Loader(path, options);
  await loader.read(path);
  const config = loader.config;
  const unset: ConfigProblem[] = [];
  expandSections(config.service, loader.lookup, unset);
  for (const list of [config.inputs, config.filters, config.outputs]) {
    expandSections(list, loader.lookup, unset);
  }
  expandSections(config.parsers, loader.lookup, unset);
  expandSections(config.multilineParsers, loader.lookup, unset);
  await loader.readParsersFiles();
  if (loader.problems.length > 0) throw new ConfigError([...loader.problems, ...unset]);
  if (unset.length > 0) config.problems = unset;
  return config;
}

/**
 * Loads a parsers file (`-R`, `.conf` or `.yaml`): its parsers and multiline parsers,
 * other sections ignored; throws `ConfigError` listing every problem.
 */
export async function loadParsersFile(
  path: string,
  options: LoadOptions = {},
): Promise<{ parsers: RawConfig["parsers"]; multilineParsers: RawConfig["multilineParsers"] }> {
  const loader = new Loader(path, options);
  await loader.read(path);
  const { parsers, multilineParsers } = loader.config;
  expandSections(parsers, loader.lookup, loader.problems);
  expandSections(multilineParsers, loader.lookup, loader.problems);
  if (loader.problems.length > 0) throw new ConfigError(loader.problems);
  return { parsers, multilineParsers };
}

/** Where each kind of top-level section goes in a RawConfig. */
const LISTS: Partial<
  Record<SectionKind, "service" | "inputs" | "filters" | "outputs" | "parsers" | "multilineParsers">
> = {
  service: "service",
  input: "inputs",
  filter: "filters",
  output: "outputs",
  parser: "parsers",
  multiline_parser: "multilineParsers",
};

class Loader {
  readonly config: RawConfig;
  readonly problems: ConfigProblem[];
  readonly vars: Map<string, string>;
  readonly lookup: VarLookup;
  private readonly mainDir: string;
  /** Files being read, for include cycles. */
  private readonly stack: string[] = [];

  /** A loader for `main`; with `parent`, one sharing its variables, problems and file list. */
  constructor(main: string, options: LoadOptions, parent?: Loader) {
    this.config = emptyRawConfig(main, parent?.config.files);
    this.problems = parent?.problems ?? [];
    this.vars = parent?.vars ?? new Map();
    this.lookup = parent?.lookup ?? makeLookup(this.vars, { env: options.env });
    this.mainDir = dirname(main);
  }

  /** Reads one file into the config, following its includes in place. */
  async read(path: string, from?: Pos): Promise<void> {
    const abs = resolve(path);
    if (this.stack.includes(abs)) {
      this.problems.push({ pos: from ?? topOf(path), message: `include cycle: "${path}"` });
      return;
    }
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      const what = from ? "included file" : "config file";
      this.problems.push({
        pos: from ?? topOf(path),
        message: `cannot read ${what} "${path}": ${why(e)}`,
      });
      return;
    }
    if (!this.config.files.includes(path)) this.config.files.push(path);
    const parsed = formatOf(path, text) === "yaml"
      ? parseYamlConfig(text, path)
      : parseClassicConfig(text, path);
    this.problems.push(...parsed.problems);
    this.stack.push(abs);
    for (const item of parsed.items) await this.apply(item, path);
    this.stack.pop();
  }

  private async apply(item: FileItem, file: string): Promise<void> {
    switch (item.type) {
      case "section": {
        const list = LISTS[item.section.kind];
        if (list) this.config[list].push(item.section);
        return;
      }
      case "var":
        return await this.defineVar(item);
      case "include":
        return await this.include(item.path, file, item.pos);
    }
  }

  private async defineVar(item: Extract<FileItem, { type: "var" }>): Promise<void> {
    let value = item.value ?? "";
    if (item.uri !== undefined) {
      if (!item.uri.startsWith("file://")) {
        this.problems.push({
          pos: item.pos,
          key: "uri",
          message: `unsupported env uri "${item.uri}": only file:// is supported`,
        });
        return;
      }
      const path = decodeURIComponent(item.uri.slice("file://".length));
      try {
        value = (await Deno.readTextFile(path)).replace(/\r?\n$/, "");
      } catch (e) {
        this.problems.push({
          pos: item.pos,
          key: "uri",
          message: `cannot read "${path}": ${why(e)}`,
        });
        return;
      }
    }
    const r = expandString(value, this.lookup);
    for (const name of r.missing) {
      this.problems.push({
        pos: item.pos,
        key: item.name,
        message: `variable "${name}" is not set`,
      });
    }
    this.vars.set(item.name, r.value);
  }

  /** Follows an include: relative to the including file, else to the main file's folder. */
  private async include(path: string, including: string, pos: Pos): Promise<void> {
    const candidates = isAbsolute(path)
      ? [path]
      : [...new Set([join(dirname(including), path), join(this.mainDir, path)])];
    for (const candidate of candidates) {
      if (hasWildcard(candidate)) {
        const matches = await expandGlob(candidate);
        if (matches.length === 0) continue;
        for (const m of matches) await this.read(m, pos);
        return;
      }
      if (await isFile(candidate)) return await this.read(candidate, pos);
    }
    const reason = hasWildcard(path) ? "no file matches" : "file not found";
    this.problems.push({ pos, message: `cannot read included file "${path}": ${reason}` });
  }

  /** Loads every `service.parsers_file` and puts its parsers before the config's own. */
  async readParsersFiles(): Promise<void> {
    const sub = new Loader(this.config.file, {}, this);
    for (const section of this.config.service) {
      for (const prop of section.props) {
        if (prop.key.toLowerCase() !== "parsers_file") continue;
        for (const v of Array.isArray(prop.value) ? prop.value : [prop.value]) {
          if (v === null || v === "") continue;
          const found = await this.findFile(String(v), prop.pos.file);
          if (found) {
            await sub.read(found, prop.pos);
            continue;
          }
          this.problems.push({
            pos: prop.pos,
            key: prop.key,
            message: `cannot read parsers file "${v}": file not found`,
          });
        }
      }
    }
    expandSections(sub.config.parsers, this.lookup, this.problems);
    expandSections(sub.config.multilineParsers, this.lookup, this.problems);
    this.config.parsers.unshift(...sub.config.parsers);
    this.config.multilineParsers.unshift(...sub.config.multilineParsers);
  }

  private async findFile(path: string, near: string): Promise<string | undefined> {
    if (isAbsolute(path)) return (await isFile(path)) ? path : undefined;
    for (const candidate of new Set([join(dirname(near), path), join(this.mainDir, path)])) {
      if (await isFile(candidate)) return candidate;
    }
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

function topOf(file: string): Pos {
  return { file, line: 1, col: 1 };
}

function why(e: unknown): string {
  if (e instanceof Deno.errors.NotFound) return "file not found";
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.IsADirectory) return "it is a directory";
  return e instanceof Error ? e.message : String(e);
}
