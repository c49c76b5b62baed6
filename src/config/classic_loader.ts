/**
 * Reads Fluent Bit's classic `.conf` format: `[SECTION]` headers, `Key Value` lines,
 * full-line `#` comments, `@INCLUDE` and `@SET`, with a position for every key.
 */
import type { ConfigProblem, Pos, RawSection, SectionKind } from "./model.ts";
import type { FileItem, ParsedFile } from "./parsed.ts";
import { didYouMean } from "./suggest.ts";

const SECTIONS: Record<string, SectionKind> = {
  service: "service",
  input: "input",
  filter: "filter",
  output: "output",
  parser: "parser",
  multiline_parser: "multiline_parser",
};

/** Sections Fluent Bit knows that sluice accepts and ignores. */
const IGNORED_SECTIONS = ["plugins", "custom", "upstream", "node", "stream_task"];

/**
 * Parses a classic config file's text. Repeated keys stay separate properties, values are
 * kept as written (quotes included), and `@INCLUDE`/`@SET` become items in source order.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const parsed = parseClassicConfig("[INPUT]\n    Name dummy\n", "a.conf");
 * assertEquals(parsed.problems, []);
 * const [item] = parsed.items;
 * assertEquals(item?.type === "section" && item.section.props.map((p) => [p.key, p.value]), [
 *   ["Name", "dummy"],
 * ]);
 * ```
 */
export function parseClassicConfig(text: string, file: string): ParsedFile {
  const items: FileItem[] = [];
  const problems: ConfigProblem[] = [];
  let current: RawSection | undefined;
  /** True inside an ignored section, whose keys are skipped. */
  let ignoring = false;

  const lines = text.replace(/^\uFEFF/, "").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    const body = line.trim();
    if (body === "" || body.startsWith("#")) continue;
    const pos: Pos = { file, line: i + 1, col: line.length - line.trimStart().length + 1 };

    if (body.startsWith("[")) {
      const m = /^\[\s*([^\]]*?)\s*\]$/.exec(body);
      const name = m ? m[1]!.toLowerCase() : "";
      const kind = Object.hasOwn(SECTIONS, name) ? SECTIONS[name] : undefined;
      current = undefined;
      ignoring = false;
      if (!m || name === "") {
        problems.push({ pos, message: `invalid section header ${JSON.stringify(body)}` });
        ignoring = true;
      } else if (kind) {
        current = { kind, pos, props: [] };
        items.push({ type: "section", section: current });
      } else if (IGNORED_SECTIONS.includes(name)) {
        ignoring = true;
      } else {
        ignoring = true;
        problems.push({
          pos,
          message: `unknown section [${m[1]}]`,
          hint: hintUpper(didYouMean(name, [...Object.keys(SECTIONS), ...IGNORED_SECTIONS])),
        });
      }
      continue;
    }

    if (body.startsWith("@")) {
      readCommand(body, pos, items, problems);
      continue;
    }

    const m = /^(\S+)(?:\s+(.*))?$/.exec(body)!;
    const key = m[1]!;
    const value = (m[2] ?? "").trim();
    if (ignoring) continue;
    if (!current) {
      problems.push({
        pos,
        key,
        message: "key outside a section",
        hint: "put it under [SERVICE], [INPUT], ...",
      });
      continue;
    }
    if (value === "") {
      problems.push({ pos, key, message: "missing value" });
      continue;
    }
    current.props.push({ key, value, pos });
  }
  return { items, problems };
}

function readCommand(body: string, pos: Pos, items: FileItem[], problems: ConfigProblem[]): void {
  const m = /^@(\S+)\s*(.*)$/.exec(body)!;
  const command = m[1]!.toLowerCase();
  const arg = m[2]!.trim();
  if (command === "include") {
    if (arg === "") problems.push({ pos, message: "@INCLUDE needs a file path" });
    else items.push({ type: "include", path: arg, pos });
    return;
  }
  if (command === "set") {
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(0, eq).trim() : "";
    if (name === "") {
      problems.push({ pos, message: `expected @SET KEY=VALUE, got ${JSON.stringify(body)}` });
      return;
    }
    items.push({ type: "var", name, value: arg.slice(eq + 1).trim(), pos });
    return;
  }
  problems.push({
    pos,
    message: `unknown command @${m[1]}`,
    hint: hintUpper(didYouMean(command, ["include", "set"]), "@"),
  });
}

/** Shows a suggested section or command name the way the classic format writes it. */
function hintUpper(hint: string | undefined, prefix = ""): string | undefined {
  return hint?.replace(
    /"([^"]*)"/,
    (_m, name: string) => prefix ? `"${prefix}${name.toUpperCase()}"` : `"[${name.toUpperCase()}]"`,
  );
}
