/**
 * Builds the parser registry from the config's parser definitions plus the built-in
 * set, compiling every parser up front so a bad regex, time format or `types` value
 * stops the config from loading, with every problem reported at once.
 */
import type { ParserValues } from "../config/common_options.ts";
import { ConfigError, type ConfigProblem } from "../config/model.ts";
import type { ParserConfig } from "../config/resolved.ts";
import { BUILTIN_PARSERS } from "./builtin.ts";
import { ParserDefinitionError, type ParserOptions } from "./definition.ts";
import { jsonParser } from "./json.ts";
import { logfmtParser } from "./logfmt.ts";
import { ltsvParser } from "./ltsv.ts";
import { regexParser } from "./regex.ts";
import type { Parser, ParserRegistry } from "./types.ts";

const FACTORIES: Record<string, (values: ParserValues, options: ParserOptions) => Parser> = {
  json: jsonParser,
  regex: regexParser,
  ltsv: ltsvParser,
  logfmt: logfmtParser,
};

/**
 * Builds one parser from its definition's values. Throws ParserDefinitionError listing
 * every problem of the definition.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { parserDefinition } from "./builtin.ts";
 *
 * const parser = createParser(parserDefinition({ name: "j", format: "json" }));
 * assertEquals(parser.parse('{"a":1}')?.body, { a: 1 });
 * ```
 */
export function createParser(values: ParserValues, options: ParserOptions = {}): Parser {
  const format = (values.format ?? "").toLowerCase();
  const factory = FACTORIES[format];
  if (!factory) {
    throw new ParserDefinitionError(values.name ?? "", [{
      key: "format",
      message: `expected one of json, regex, ltsv, logfmt, got ${JSON.stringify(values.format)}`,
    }]);
  }
  return factory(values, options);
}

/** Options for {@link buildParserRegistry}. */
export interface RegistryOptions extends ParserOptions {
  /** Include the built-in parsers (default true); user definitions replace them by name. */
  builtins?: boolean;
}

/**
 * Compiles every parser definition into a registry. Throws ConfigError listing each
 * problem with its definition's position and key; a name defined twice is one too.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const parsers = buildParserRegistry([]);
 * const hit = parsers.get("apache2")?.parse(
 *   '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.1" 200 5',
 * );
 * assertEquals(hit?.body.path, "/a.gif");
 * assertEquals(hit?.time?.sec, 971211336);
 * ```
 */
export function buildParserRegistry(
  configs: ParserConfig[],
  options: RegistryOptions = {},
): ParserRegistry {
  const parsers = new Map<string, Parser>();
  const defined = new Map<string, ParserConfig>();
  const problems: ConfigProblem[] = [];
  for (const config of configs) {
    const name = config.values.name ?? "";
    const first = defined.get(name);
    if (first) {
      const at = `${first.pos.file}:${first.pos.line}:${first.pos.col}`;
      problems.push({
        pos: config.pos,
        key: "name",
        message: `parser ${JSON.stringify(name)} is defined twice`,
        hint: `first defined at ${at}`,
      });
      continue;
    }
    defined.set(name, config);
    try {
      parsers.set(name, createParser(config.values, options));
    } catch (e) {
      if (!(e instanceof ParserDefinitionError)) throw e;
      for (const p of e.problems) {
        problems.push({
          pos: config.pos,
          key: p.key,
          message: `parser ${JSON.stringify(name)}: ${p.message}`,
        });
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
  if (options.builtins ?? true) {
    for (const values of BUILTIN_PARSERS) {
      if (!parsers.has(values.name!)) parsers.set(values.name!, createParser(values, options));
    }
  }
  const names = [...parsers.keys()].sort();
  return {
    get: (name) => parsers.get(name),
    names: () => [...names],
  };
}
