/**
 * Multiline parsing: the registry of multiline parsers (the built-ins plus the
 * config's `multiline_parsers`) and the assemblers the tail input and the
 * `multiline` filter join lines with.
 */
import { errorMessage } from "../error_message.ts";
import type { MultilineParserConfig } from "../config/resolved.ts";
import { ConfigError, type ConfigProblem } from "../config/model.ts";
import { noParsers, type ParserRegistry } from "../parsers/types.ts";
import { type AssemblerOptions, DEFAULT_BUFFER_LIMIT, MultilineAssembler } from "./assembler.ts";
import { BUILTIN_NAMES, builtinParsers } from "./builtin.ts";
import { compileMultilineParser, type MultilineParser } from "./rules.ts";

export {
  type AssemblerOptions,
  DEFAULT_BUFFER_LIMIT,
  MultilineAssembler,
  type PushOptions,
} from "./assembler.ts";
export type { MultilineMessage } from "./group.ts";
export { BUILTIN_NAMES, parseContainerTime } from "./builtin.ts";
export {
  compileMultilineParser,
  compileRules,
  type MultilineParser,
  type MultilineRule,
  type MultilineType,
  parseRule,
  type RuleSpec,
} from "./rules.ts";

/** The multiline parsers by name, and the way to get an assembler over some of them. */
export interface MultilineRegistry {
  get(name: string): MultilineParser | undefined;
  names(): string[];
  /** The service's `multiline_buffer_limit`, the default for assemblers. */
  readonly bufferLimit: number;
  /**
   * An assembler trying `names` in order (`multiline.parser: docker, cri`).
   * Throws RangeError naming an unknown parser.
   */
  assembler<T = never>(names: readonly string[], options?: AssemblerOptions): MultilineAssembler<T>;
}

/** Options for {@link buildMultilineRegistry}. */
export interface RegistryOptions {
  /** Where a multiline parser's `parser` is looked up. */
  parsers?: ParserRegistry;
  /** The service's `multiline_buffer_limit` in bytes (0 = no limit). */
  bufferLimit?: number;
}

/**
 * Builds the registry from the built-ins and the config's definitions. Every problem
 * (bad rules, unknown `parser`, duplicate names) is thrown at once as a ConfigError.
 *
 * @example
 * ```ts
 * import { multilineParserOptions } from "../config/common_options.ts";
 * import { defaultsOf } from "../config/options.ts";
 * import { buildParserRegistry } from "../parsers/registry.ts";
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const registry = buildMultilineRegistry([{
 *   values: {
 *     ...defaultsOf(multilineParserOptions),
 *     name: "indented",
 *     rule: ['"start_state" "/^\\S/" "cont"', '"cont" "/^\\s/" "cont"'],
 *   },
 *   pos: { file: "parsers.yaml", line: 2, col: 5 },
 * }], { parsers: buildParserRegistry([]) });
 * const asm = registry.assembler(["indented"]);
 * asm.push("app", "first");
 * asm.push("app", "  second");
 * assertEquals(asm.flush("app").map((m) => m.record.body.log), ["first\n  second"]);
 * ```
 */
export function buildMultilineRegistry(
  configs: readonly MultilineParserConfig[],
  options: RegistryOptions = {},
): MultilineRegistry {
  const byName = builtinParsers();
  const problems: ConfigProblem[] = [];
  for (const config of configs) {
    const name = config.values.name ?? "";
    if (name === "") {
      problems.push({ pos: config.pos, key: "name", message: "Multiline parser has no name" });
      continue;
    }
    if (byName.has(name)) {
      problems.push({
        pos: config.pos,
        key: "name",
        message: `Multiline parser ${JSON.stringify(name)} is already defined${
          isBuiltin(name) ? " as a built-in" : ""
        }`,
        hint: "choose another name",
      });
      continue;
    }
    try {
      byName.set(
        name,
        compileMultilineParser(config.values, { parsers: options.parsers ?? noParsers }),
      );
    } catch (e) {
      problems.push({
        pos: config.pos,
        key: keyOf(e, config),
        message: errorMessage(e),
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const bufferLimit = options.bufferLimit ?? DEFAULT_BUFFER_LIMIT;
  return {
    bufferLimit,
    get: (name) => byName.get(name),
    names: () => [...byName.keys()],
    assembler<T = never>(
      names: readonly string[],
      assemblerOptions: AssemblerOptions = {},
    ): MultilineAssembler<T> {
      const parsers = names.map((n) => {
        const p = byName.get(n.trim());
        if (!p) {
          throw new RangeError(
            `Unknown multiline parser ${JSON.stringify(n)}: expected one of ${
              [...byName.keys()].join(", ")
            }`,
          );
        }
        return p;
      });
      return new MultilineAssembler<T>(parsers, { bufferLimit, ...assemblerOptions });
    },
  };
}

function isBuiltin(name: string): boolean {
  return (BUILTIN_NAMES as readonly string[]).includes(name);
}

/** The key a compile error is about, from its message. */
function keyOf(e: unknown, config: MultilineParserConfig): string | undefined {
  if (e instanceof ReferenceError) return "parser";
  if (!(e instanceof Error)) return undefined;
  if (/\brules?\b/.test(e.message)) {
    return config.values.rule === undefined && config.values.rules !== undefined ? "rules" : "rule";
  }
  if (/flush_timeout/.test(e.message)) return "flush_timeout";
  if (/match_string/.test(e.message)) return "match_string";
  if (/\btype\b/.test(e.message)) return "type";
  return undefined;
}
