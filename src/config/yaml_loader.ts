/**
 * Reads Fluent Bit's YAML config format into sections with a file, line and column for
 * every key. Includes are listed, not followed, and variables are left for expansion.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type YAMLMap,
} from "yaml";
import type { Signal } from "../event/chunk.ts";
import type { ConfigProblem, Pos, RawSection, SectionKind } from "./model.ts";
import type { FileItem, ParsedFile } from "./parsed.ts";
import { didYouMean } from "./suggest.ts";
import { derefNode, isEmptyNode, plainNode, scalarKey, type YamlDoc } from "./yaml_nodes.ts";

/** Top-level keys that sluice reads. */
const READ_KEYS = ["env", "includes", "service", "pipeline", "parsers", "multiline_parsers"];
/** Top-level keys that Fluent Bit accepts and sluice accepts and ignores. */
const IGNORED_KEYS = ["plugins", "upstream_servers", "customs", "stream_processor", "extensions"];
const PIPELINE_KEYS = { inputs: "input", filters: "filter", outputs: "output" } as const;
const SIGNALS: readonly Signal[] = ["logs", "traces", "metrics"];

/**
 * Parses a YAML config file's text. YAML syntax errors and misplaced sections become
 * problems with their line and column; the file's items are returned in source order.
 *
 * @example
 * ```ts
 * const parsed = parseYamlConfig("pipeline:\n  inputs:\n    - name: dummy\n", "a.yaml");
 * ```
 */
export function parseYamlConfig(text: string, file: string): ParsedFile {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const reader = new YamlReader(file, lc, doc);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      reader.problems.push({ pos: reader.at(e.pos[0]), message: `invalid YAML: ${e.message}` });
    }
    return { items: [], problems: reader.problems };
  }
  reader.readTop(doc.contents);
  return { items: reader.items, problems: reader.problems };
}

class YamlReader {
  readonly items: FileItem[] = [];
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly lc: LineCounter,
    private readonly doc: YamlDoc,
  ) {}

  at(offset: number): Pos {
    const { line, col } = this.lc.linePos(offset);
    return { file: this.file, line, col };
  }

  pos(node: unknown, fallback?: Pos): Pos {
    const range = (node as Node | null)?.range;
    if (range) return this.at(range[0]);
    return fallback ?? { file: this.file, line: 1, col: 1 };
  }

  problem(pos: Pos, message: string, extra: { key?: string; hint?: string } = {}): void {
    this.problems.push({ pos, message, ...extra });
  }

  readTop(contents: unknown): void {
    if (isEmptyNode(contents)) return;
    if (!isMap(contents)) {
      this.problem(this.pos(contents), "expected a map of sections at the top level");
      return;
    }
    for (const pair of contents.items) {
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      const kpos = this.pos(pair.key);
      const value = this.deref(pair.value);
      switch (key.toLowerCase()) {
        case "env":
          this.readEnv(value, kpos);
          break;
        case "includes":
          this.readIncludes(value, kpos);
          break;
        case "service":
          this.readService(value, kpos);
          break;
        case "pipeline":
          this.readPipeline(value, kpos);
          break;
        case "parsers":
          this.pushSections(this.readList(value, kpos, "parser", key));
          break;
        case "multiline_parsers":
          this.pushSections(this.readList(value, kpos, "multiline_parser", key));
          break;
        default:
          if (IGNORED_KEYS.includes(key.toLowerCase())) break;
          this.problem(kpos, `unknown top-level section "${key}"`, {
            hint: didYouMean(key, [...READ_KEYS, ...IGNORED_KEYS]),
          });
      }
    }
  }

  private pushSections(sections: RawSection[]): void {
    for (const section of sections) this.items.push({ type: "section", section });
  }

  private readEnv(node: unknown, kpos: Pos): void {
    if (isEmptyNode(node)) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = this.keyOf(pair);
        if (name === undefined) continue;
        const value = this.scalarString(pair.value, this.pos(pair.key), name);
        if (value !== undefined) {
          this.items.push({ type: "var", name, value, pos: this.pos(pair.key) });
        }
      }
      return;
    }
    if (isSeq(node)) {
      for (const item of node.items) this.readEnvEntry(this.deref(item), kpos);
      return;
    }
    this.problem(this.pos(node, kpos), "expected env to be a map of names to values or a list");
  }

  private readEnvEntry(node: unknown, kpos: Pos): void {
    if (!isMap(node)) {
      this.problem(this.pos(node, kpos), "expected an env entry like {name: X, value: Y}");
      return;
    }
    const entry = this.plain(node, false) as Record<string, unknown>;
    const pos = this.pos(node, kpos);
    const name = entry.name;
    if (typeof name !== "string" || name === "") {
      this.problem(pos, "env entry has no name", { key: "name" });
      return;
    }
    if (typeof entry.uri === "string") {
      this.items.push({ type: "var", name, uri: entry.uri, pos });
    } else if (
      entry.value !== undefined && (entry.value === null || typeof entry.value !== "object")
    ) {
      this.items.push({ type: "var", name, value: String(entry.value ?? ""), pos });
    } else {
      this.problem(pos, `env entry "${name}" needs a value or a uri`, { key: "value" });
    }
  }

  private readIncludes(node: unknown, kpos: Pos): void {
    const entries = isSeq(node) ? node.items.map((i) => this.deref(i)) : [node];
    for (const entry of entries) {
      if (entry === null || entry === undefined) continue;
      const pos = this.pos(entry, kpos);
      if (!isScalar(entry) || entry.value === null || typeof entry.value === "object") {
        this.problem(pos, "expected includes to be a list of file paths");
        continue;
      }
      const path = String(entry.value);
      if (path.includes("${")) {
        this.problem(pos, `variables are not expanded in include paths: "${path}"`);
        continue;
      }
      this.items.push({ type: "include", path, pos });
    }
  }

  private readService(node: unknown, kpos: Pos): void {
    if (isEmptyNode(node)) return;
    if (!isMap(node)) {
      this.problem(this.pos(node, kpos), "expected service to be a map of keys to values");
      return;
    }
    this.pushSections([this.section(node, "service", false)]);
  }

  private readPipeline(node: unknown, kpos: Pos): void {
    if (isEmptyNode(node)) return;
    if (!isMap(node)) {
      this.problem(
        this.pos(node, kpos),
        "expected pipeline to be a map with inputs, filters, outputs",
      );
      return;
    }
    for (const pair of node.items) {
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      const kind = PIPELINE_KEYS[key.toLowerCase() as keyof typeof PIPELINE_KEYS];
      const ppos = this.pos(pair.key);
      if (!kind) {
        this.problem(ppos, `unknown pipeline section "${key}"`, {
          hint: didYouMean(key, Object.keys(PIPELINE_KEYS)),
        });
        continue;
      }
      this.pushSections(this.readList(this.deref(pair.value), ppos, kind, key));
    }
  }

  /** A list of sections, each a map (`inputs:`, `parsers:`, `processors.logs:`, ...). */
  private readList(node: unknown, kpos: Pos, kind: SectionKind, what: string): RawSection[] {
    if (isEmptyNode(node)) return [];
    if (!isSeq(node)) {
      this.problem(this.pos(node, kpos), `expected ${what} to be a list of maps`);
      return [];
    }
    const out: RawSection[] = [];
    for (const raw of node.items) {
      const item = this.deref(raw);
      if (!isMap(item)) {
        this.problem(this.pos(item, kpos), `expected each item of ${what} to be a map with a name`);
        continue;
      }
      out.push(this.section(item, kind, kind === "input" || kind === "output"));
    }
    return out;
  }

  private section(map: YAMLMap, kind: SectionKind, withProcessors: boolean): RawSection {
    const section: RawSection = { kind, pos: this.pos(map), props: [] };
    for (const pair of map.items) {
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      const kpos = this.pos(pair.key);
      if (withProcessors && key.toLowerCase() === "processors") {
        section.processors = this.readProcessors(this.deref(pair.value), kpos, section.processors);
        continue;
      }
      section.props.push({ key, value: this.plain(pair.value, true), pos: kpos });
    }
    return section;
  }

  /** `processors: {logs: [...], traces: [...]}`; a bare list is taken as the logs chain. */
  private readProcessors(
    node: unknown,
    kpos: Pos,
    into: RawSection["processors"] = {},
  ): RawSection["processors"] {
    if (isEmptyNode(node)) return into;
    if (isSeq(node)) {
      into.logs = [...(into.logs ?? []), ...this.readList(node, kpos, "processor", "processors")];
      return into;
    }
    if (!isMap(node)) {
      this.problem(
        this.pos(node, kpos),
        "expected processors to be a map of logs, traces, metrics",
      );
      return into;
    }
    for (const pair of node.items) {
      const key = this.keyOf(pair);
      if (key === undefined) continue;
      const signal = SIGNALS.find((s) => s === key.toLowerCase());
      const spos = this.pos(pair.key);
      if (!signal) {
        this.problem(spos, `unknown processor signal "${key}": expected logs, traces or metrics`, {
          hint: didYouMean(key, SIGNALS),
        });
        continue;
      }
      const chain = this.readList(this.deref(pair.value), spos, "processor", `processors.${key}`);
      into[signal] = [...(into[signal] ?? []), ...chain];
    }
    return into;
  }

  private keyOf(pair: Pair<unknown, unknown>): string | undefined {
    const key = scalarKey(pair.key, this.doc);
    if (key === undefined) this.problem(this.pos(pair.key), "expected a plain key");
    return key;
  }

  private scalarString(node: unknown, pos: Pos, key: string): string | undefined {
    const v = this.plain(node, true);
    if (v !== null && typeof v === "object") {
      this.problem(pos, "expected a single value", { key });
      return undefined;
    }
    return v === null ? "" : String(v);
  }

  private deref(node: unknown): unknown {
    return derefNode(node, this.doc);
  }

  private plain(node: unknown, lossless: boolean): unknown {
    return plainNode(node, this.doc, lossless);
  }
}
