/**
 * Builds a config from Fluent Bit's command-line quick mode:
 * `-i NAME -p key=value -t TAG -F NAME -m MATCH -o NAME -f FLUSH`.
 */
import {
  ConfigError,
  type ConfigProblem,
  emptyRawConfig,
  type Pos,
  type RawConfig,
  type RawSection,
} from "./model.ts";

/** One quick-mode flag and its value, in command-line order. */
export interface QuickArg {
  flag: "i" | "F" | "o" | "p" | "t" | "m" | "f";
  value: string;
  /** The flag's 1-based position on the command line; defaults to its index in the list + 1. */
  index?: number;
}

/** The file name quick-mode positions carry. */
export const COMMAND_LINE = "<command line>";

/**
 * A raw config from quick-mode flags: `-p`, `-t` and `-m` set a key on the last `-i`, `-F`
 * or `-o`; `-f` sets the service flush; `-o tcp://host:port` sets the name, host and port.
 * Throws `ConfigError` listing every misplaced or malformed flag.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const raw = rawConfigFromArgs([{ flag: "i", value: "dummy" }, { flag: "o", value: "stdout" }]);
 * assertEquals([raw.inputs.length, raw.outputs.length], [1, 1]);
 * assertEquals(raw.inputs[0]?.props.map((p) => [p.key, p.value]), [["name", "dummy"]]);
 * ```
 */
export function rawConfigFromArgs(args: readonly QuickArg[]): RawConfig {
  const config = emptyRawConfig(COMMAND_LINE);
  const problems: ConfigProblem[] = [];
  let last: RawSection | undefined;

  args.forEach((arg, i) => {
    const pos: Pos = { file: COMMAND_LINE, line: 1, col: arg.index ?? i + 1 };
    switch (arg.flag) {
      case "i":
      case "F":
      case "o": {
        const kind = arg.flag === "i" ? "input" : arg.flag === "F" ? "filter" : "output";
        last = { kind, pos, props: [] };
        addPlugin(last, arg.value, pos, arg.flag !== "F", problems);
        (kind === "input" ? config.inputs : kind === "filter" ? config.filters : config.outputs)
          .push(last);
        return;
      }
      case "f":
        config.service.push({
          kind: "service",
          pos,
          props: [{ key: "flush", value: arg.value, pos }],
        });
        return;
      case "p":
      case "t":
      case "m": {
        if (!last) {
          problems.push({
            pos,
            message: `-${arg.flag} ${arg.value} comes before any -i, -F or -o`,
          });
          return;
        }
        if (arg.flag !== "p") {
          last.props.push({ key: arg.flag === "t" ? "tag" : "match", value: arg.value, pos });
          return;
        }
        const eq = arg.value.indexOf("=");
        if (eq <= 0) {
          problems.push({
            pos,
            message: `expected -p key=value, got ${JSON.stringify(arg.value)}`,
          });
          return;
        }
        last.props.push({
          key: arg.value.slice(0, eq).trim(),
          value: arg.value.slice(eq + 1),
          pos,
        });
        return;
      }
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  // As in Fluent Bit's command line, an output or filter given no -m matches every tag.
  for (const section of [...config.filters, ...config.outputs]) {
    const matched = section.props.some((p) => /^match(_regex)?$/i.test(p.key));
    if (!matched) section.props.push({ key: "match", value: "*", pos: section.pos });
  }
  return config;
}

const URL_RE = /^([A-Za-z][\w.-]*):\/\/(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([/?].*)?$/;

/** Sets `name`, and for the URL form `name://host:port/uri` also host, port and uri. */
function addPlugin(
  section: RawSection,
  value: string,
  pos: Pos,
  allowUrl: boolean,
  problems: ConfigProblem[],
): void {
  if (!allowUrl || !value.includes("://")) {
    section.props.push({ key: "name", value, pos });
    return;
  }
  const m = URL_RE.exec(value);
  if (!m) {
    problems.push({ pos, message: `cannot read plugin URL ${JSON.stringify(value)}` });
    return;
  }
  const [, name, rawHost, port, uri] = m;
  section.props.push({ key: "name", value: name, pos });
  const host = rawHost!.replace(/^\[(.*)\]$/, "$1");
  if (host) section.props.push({ key: "host", value: host, pos });
  if (port) section.props.push({ key: "port", value: port, pos });
  if (uri && uri !== "/") section.props.push({ key: "uri", value: uri, pos });
}
