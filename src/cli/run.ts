/**
 * What `sluice`, `sluice run` and `sluice validate` do: load the config (file or
 * quick-mode flags), apply command-line overrides, validate, then run or report.
 */
import { loadConfigFile, loadParsersFile } from "../config/load.ts";
import { ConfigError, formatProblem, type RawConfig, type RawProp } from "../config/model.ts";
import { COMMAND_LINE, rawConfigFromArgs } from "../config/quick_mode.ts";
import { resolveConfig } from "../config/resolve.ts";
import { fileSink, Logger, type LogLevel, stderrSink } from "../engine/log.ts";
import type { PluginRegistry } from "../plugin.ts";
import { checkBuild, EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME, runService } from "../service.ts";
import { quickArgs } from "./quick_args.ts";

/** The run flags shared by the root command, `run` and `validate`. */
export interface RunFlags {
  config?: string;
  parser?: string[];
  dryRun?: boolean;
  http?: boolean;
  port?: string;
  verbose?: number;
  quiet?: boolean;
  logFile?: string;
  /** `-Y`: turn `service.hot_reload` on. */
  hotReload?: boolean;
}

/** Loads, validates and runs (or only checks, when `validate`); returns the exit code. */
export async function runCommand(
  flags: RunFlags,
  options: { argv: readonly string[]; registry: PluginRegistry; validate?: boolean },
): Promise<number> {
  const err = (line: string) => stderrSink.write(`${line}\n`);
  try {
    const raw = await loadRaw(flags, options.argv);
    if (raw.inputs.length === 0 && !options.validate) {
      err("sluice: no input given: use -c FILE, or -i NAME with -o NAME (see sluice --help)");
      return EXIT_CONFIG;
    }
    applyOverrides(raw, flags);
    const config = resolveConfig(raw, options.registry);
    const level = config.service.log_level as LogLevel;
    const checkOnly = options.validate || flags.dryRun;
    // A dry run writes no file, not even the log file: it reports on stderr.
    const sink = config.service.log_file && !checkOnly
      ? fileSink(config.service.log_file)
      : stderrSink;
    const log = new Logger({ level, sink });
    for (const w of config.warnings ?? []) log.warn(formatProblem(w));
    if (checkOnly) {
      await checkBuild(config, log);
      console.log("configuration test is successful");
      return EXIT_OK;
    }
    // A hot reload reads the same file with the same command-line overrides again.
    const load = flags.config
      ? async () => {
        const again = await loadRaw(flags, options.argv);
        applyOverrides(again, flags);
        return resolveConfig(again, options.registry);
      }
      : undefined;
    return await runService(config, { log, handleSignals: true, load });
  } catch (e) {
    if (e instanceof ConfigError) {
      for (const p of e.problems) err(formatProblem(p));
      err(
        `sluice: configuration has ${e.problems.length} problem${
          e.problems.length === 1 ? "" : "s"
        }`,
      );
      return EXIT_CONFIG;
    }
    err(`sluice: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT_RUNTIME;
  }
}

async function loadRaw(flags: RunFlags, argv: readonly string[]): Promise<RawConfig> {
  const quick = rawConfigFromArgs(quickArgs(argv));
  let raw = quick;
  if (flags.config) {
    raw = await loadConfigFile(flags.config);
    raw.service.push(...quick.service);
    raw.inputs.push(...quick.inputs);
    raw.filters.push(...quick.filters);
    raw.outputs.push(...quick.outputs);
  }
  for (const file of flags.parser ?? []) {
    const loaded = await loadParsersFile(file);
    raw.parsers.push(...loaded.parsers);
    raw.multilineParsers.push(...loaded.multilineParsers);
  }
  return raw;
}

function applyOverrides(raw: RawConfig, flags: RunFlags): void {
  const props: RawProp[] = [];
  const pos = { file: COMMAND_LINE, line: 1, col: 1 };
  const set = (key: string, value: unknown) => props.push({ key, value, pos });
  if (flags.http) set("http_server", "on");
  if (flags.port) set("http_port", flags.port);
  if (flags.logFile) set("log_file", flags.logFile);
  if (flags.hotReload) set("hot_reload", "on");
  if (flags.verbose) set("log_level", flags.verbose > 1 ? "trace" : "debug");
  else if (flags.quiet) set("log_level", "error");
  if (props.length > 0) raw.service.push({ kind: "service", pos, props });
}
