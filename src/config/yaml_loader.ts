/**
 * Reads Fluent Bit's YAML config format into sections with a file, line and column for
 * every key. Includes are listed, not followed, and variables are left for expansion.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Pos } from "./model.ts";
import type { ParsedFile } from "./parsed.ts";
import { didYouMean } from "./suggest.ts";
import { isEmptyNode } from "./yaml_nodes.ts";
import { YamlSectionReader } from "./yaml_sections.ts";

/** Top-level keys that sluice reads. */
const READ_KEYS = ["env", "includes", "service", "pipeline", "parsers", "multiline_parsers"];
/** Top-level keys that Fluent Bit accepts and sluice accepts and ignores. */
const IGNORED_KEYS = ["plugins", "upstream_servers", "customs", "stream_processor", "extensions"];

/**
 * Parses a YAML config file's text. YAML syntax errors and misplaced sections become
 * problems with their line and column; the file's items are returned in source order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const parsed = parseYamlConfig("pipeline:\n  inputs:\n    - name: dummy\n", "a.yaml");
 * assertEquals(parsed.problems, []);
 * const [item] = parsed.items;
 * assertEquals(item?.type === "section" && [item.section.kind, item.section.props[0]?.value], [
 *   "input",
 *   "dummy",
 * ]);
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

class YamlReader extends YamlSectionReader {
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
}
