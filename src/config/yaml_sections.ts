/**
 * The section side of reading a YAML config: positions and problems for nodes, and the
 * `service`, `pipeline`, section-list and `processors` shapes, each item a section with
 * a file, line and column for every key.
 */
import { isMap, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";
import type { Signal } from "../event/chunk.ts";
import type { ConfigProblem, Pos, RawSection, SectionKind } from "./model.ts";
import type { FileItem } from "./parsed.ts";
import { didYouMean } from "./suggest.ts";
import { derefNode, isEmptyNode, plainNode, scalarKey, type YamlDoc } from "./yaml_nodes.ts";

const PIPELINE_KEYS = { inputs: "input", filters: "filter", outputs: "output" } as const;
const SIGNALS: readonly Signal[] = ["logs", "traces", "metrics"];

/** Reads sections out of one YAML document, collecting file items and problems. */
export class YamlSectionReader {
  readonly items: FileItem[] = [];
  readonly problems: ConfigProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly lc: LineCounter,
    private readonly doc: YamlDoc,
  ) {}

  /** The position of a character offset in the file. */
  at(offset: number): Pos {
    const { line, col } = this.lc.linePos(offset);
    return { file: this.file, line, col };
  }

  /** The position of a node, or `fallback` when it has none. */
  pos(node: unknown, fallback?: Pos): Pos {
    const range = (node as Node | null)?.range;
    if (range) return this.at(range[0]);
    return fallback ?? { file: this.file, line: 1, col: 1 };
  }

  /** Records a problem at `pos`. */
  problem(pos: Pos, message: string, extra: { key?: string; hint?: string } = {}): void {
    this.problems.push({ pos, message, ...extra });
  }

  protected pushSections(sections: RawSection[]): void {
    for (const section of sections) this.items.push({ type: "section", section });
  }

  protected readService(node: unknown, kpos: Pos): void {
    if (isEmptyNode(node)) return;
    if (!isMap(node)) {
      this.problem(this.pos(node, kpos), "expected service to be a map of keys to values");
      return;
    }
    this.pushSections([this.section(node, "service", false)]);
  }

  protected readPipeline(node: unknown, kpos: Pos): void {
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
  protected readList(node: unknown, kpos: Pos, kind: SectionKind, what: string): RawSection[] {
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

  protected section(map: YAMLMap, kind: SectionKind, withProcessors: boolean): RawSection {
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
  protected readProcessors(
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

  protected keyOf(pair: Pair<unknown, unknown>): string | undefined {
    const key = scalarKey(pair.key, this.doc);
    if (key === undefined) this.problem(this.pos(pair.key), "expected a plain key");
    return key;
  }

  protected scalarString(node: unknown, pos: Pos, key: string): string | undefined {
    const v = this.plain(node, true);
    if (v !== null && typeof v === "object") {
      this.problem(pos, "expected a single value", { key });
      return undefined;
    }
    return v === null ? "" : String(v);
  }

  protected deref(node: unknown): unknown {
    return derefNode(node, this.doc);
  }

  protected plain(node: unknown, lossless: boolean): unknown {
    return plainNode(node, this.doc, lossless);
  }
}
