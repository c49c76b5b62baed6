/**
 * The lua filter's comparison cases (testdata/lua/cases.json): each runs one script on
 * testdata/lua/input.jsonl through tail → lua → stdout json_lines, in a config both sluice
 * and Fluent Bit run; the records Fluent Bit printed are kept in testdata/lua/expected/.
 */
import { ROOT } from "./_helpers.ts";

/** One case of testdata/lua/cases.json. */
export interface LuaCase {
  name: string;
  script: string;
  call: string;
  options?: Record<string, string>;
}

/** Where the lua test material lives. */
export const LUA_DATA = `${ROOT}testdata/lua/`;

/** The cases, in file order. */
export async function luaCases(): Promise<LuaCase[]> {
  return JSON.parse(await Deno.readTextFile(`${LUA_DATA}cases.json`)) as LuaCase[];
}

/** How the lua step is placed: a filter, or a logs processor of the output. */
export type Placement = "filter" | "processor";

/** The YAML config of `c`, placed as `placement`, reading `input`. */
export function caseConfig(c: LuaCase, placement: Placement, input: string): string {
  const lua = [
    "name: lua",
    `script: ${LUA_DATA}${c.script}`,
    `call: ${c.call}`,
    ...Object.entries(c.options ?? {}).map(([k, v]) => `${k}: "${v}"`),
  ];
  const indent = (n: number) => (l: string, i: number) =>
    `${" ".repeat(n)}${i === 0 ? "- " : "  "}${l}`;
  const filters = placement === "filter"
    ? ["  filters:", ...lua.map(indent(4)), "      match: '*'"]
    : [];
  const processors = placement === "processor"
    ? ["      processors:", "        logs:", ...lua.map(indent(10))]
    : [];
  return [
    "service:",
    "  flush: 0.2",
    "  grace: 2",
    "  log_level: info",
    "parsers:",
    "  - name: lua_json",
    "    format: json",
    "    time_key: time",
    '    time_format: "%Y-%m-%dT%H:%M:%S.%LZ"',
    "pipeline:",
    "  inputs:",
    "    - name: tail",
    `      path: ${input}`,
    "      tag: app.log",
    "      read_from_head: true",
    "      exit_on_eof: true",
    "      parser: lua_json",
    ...filters,
    "  outputs:",
    "    - name: stdout",
    "      match: '*'",
    "      format: json_lines",
    "      json_date_format: iso8601",
    ...processors,
    "",
  ].join("\n");
}

/** The JSON records of a run's stdout (lines starting with `{`). */
export function jsonLines(stdout: string): unknown[] {
  return stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

/** The path of the expected records of `c`. */
export function expectedPath(c: LuaCase): string {
  return `${LUA_DATA}expected/${c.name}.jsonl`;
}
