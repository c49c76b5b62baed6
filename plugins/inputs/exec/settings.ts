/** The exec input's settings from its parsed options, with Fluent Bit's checks. */
import { OptionError, type Parser, type ParserLookup } from "../../../src/plugin.ts";
import type { ExecOptions } from "./options.ts";

/** What the exec input runs with. */
export interface ExecSettings {
  command: string;
  parser: Parser | undefined;
  /** Milliseconds between runs. */
  intervalMs: number;
  oneshot: boolean;
  exitAfterOneshot: boolean;
  propagateExitCode: boolean;
}

/**
 * Checks and converts the parsed options; throws OptionError about a key it refuses.
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { noParsers } from "../../../src/parsers/types.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { execOptions } from "./options.ts";
 *
 * const options = { ...defaultsOf(execOptions), command: "date", exit_after_oneshot: true };
 * const s = execSettings(options, noParsers);
 * assertEquals([s.oneshot, s.intervalMs], [true, 1000]);
 * ```
 */
export function execSettings(options: ExecOptions, parsers: ParserLookup): ExecSettings {
  const command = options.command;
  if (!command) throw new OptionError("command", "no input 'command' was given");
  if (options.propagate_exit_code && !options.exit_after_oneshot) {
    throw new OptionError(
      "propagate_exit_code",
      "propagate_exit_code makes no sense without exit_after_oneshot: set exit_after_oneshot on",
    );
  }
  let parser: Parser | undefined;
  if (options.parser) {
    parser = parsers.get(options.parser);
    if (!parser) {
      const known = parsers.names();
      throw new OptionError(
        "parser",
        `requested parser "${options.parser}" not found` +
          (known.length ? ` (defined: ${known.join(", ")})` : ""),
      );
    }
  }
  let sec = options.interval_sec;
  let nsec = options.interval_nsec;
  if (sec <= 0 && nsec <= 0) [sec, nsec] = [1, 0]; // as Fluent Bit overrides them
  return {
    command,
    parser,
    intervalMs: Math.max(0, sec) * 1000 + Math.max(0, nsec) / 1e6,
    oneshot: options.oneshot || options.exit_after_oneshot,
    exitAfterOneshot: options.exit_after_oneshot,
    propagateExitCode: options.propagate_exit_code,
  };
}
