/**
 * The configuration as read from YAML or classic `.conf`, before any plugin looks
 * at it: sections of raw key/value properties, each with its source position.
 */
import type { Signal } from "../event/chunk.ts";

/** Where a key or section was written. Lines and columns count from 1. */
export interface Pos {
  file: string;
  line: number;
  col: number;
}

/** One key as written: its original spelling, raw value and position. */
export interface RawProp {
  key: string;
  /** A string, number, boolean or null; a list or map as YAML gives it. */
  value: unknown;
  pos: Pos;
}

/** The kinds of section a config holds. */
export type SectionKind =
  | "service"
  | "input"
  | "filter"
  | "output"
  | "processor"
  | "parser"
  | "multiline_parser";

/** One section: `[INPUT]`, one item of `pipeline.inputs`, one parser, ... */
export interface RawSection {
  kind: SectionKind;
  pos: Pos;
  /** Properties in source order; a classic key repeated appears once per occurrence. */
  props: RawProp[];
  /** Per-plugin processors (YAML only). */
  processors?: Partial<Record<Signal, RawSection[]>>;
}

/** A whole configuration after includes are merged and `${VAR}` expanded. */
export interface RawConfig {
  /** The main file's path. */
  file: string;
  /** Every file read, the main one first. */
  files: string[];
  /** All `service` sections merged in order (later keys win). */
  service: RawSection[];
  inputs: RawSection[];
  filters: RawSection[];
  outputs: RawSection[];
  parsers: RawSection[];
  multilineParsers: RawSection[];
  /**
   * Problems found while loading that did not stop it (variables that are not set):
   * `resolveConfig` reports them together with its own, so one pass shows every problem.
   */
  problems?: ConfigProblem[];
}

/** A RawConfig of `file` with no sections yet, to be filled in. */
export function emptyRawConfig(file: string, files: string[] = []): RawConfig {
  return {
    file,
    files,
    service: [],
    inputs: [],
    filters: [],
    outputs: [],
    parsers: [],
    multilineParsers: [],
  };
}

/** One problem found in a config, pinned to a position and a key. */
export interface ConfigProblem {
  pos: Pos;
  key?: string;
  message: string;
  /** The way out, e.g. `did you mean "rate"?`. */
  hint?: string;
}

/** Every problem of a config at once; thrown by the loader and validator. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** `file:line:col: key "k": message (hint)`, the form every config problem is shown in. */
export function formatProblem(p: ConfigProblem): string {
  const where = `${p.pos.file}:${p.pos.line}:${p.pos.col}`;
  const key = p.key ? ` key "${p.key}":` : "";
  const hint = p.hint ? ` (${p.hint})` : "";
  return `${where}:${key} ${p.message}${hint}`;
}

/** The value of a section's key, case-insensitively; the last occurrence wins. */
export function propOf(section: RawSection, key: string): RawProp | undefined {
  const k = key.toLowerCase();
  for (let i = section.props.length - 1; i >= 0; i--) {
    const prop = section.props[i]!;
    if (prop.key.toLowerCase() === k) return prop;
  }
  return undefined;
}
