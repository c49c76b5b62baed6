/**
 * The configuration loader and validator: YAML and classic `.conf` loading, quick mode,
 * `${VAR}` expansion, and checking every section against the plugins' option tables.
 *
 * @example
 * ```ts
 * const pipeline = resolveConfig(await loadConfigFile("fluent-bit.yaml"), registry);
 * ```
 */
export {
  type ConfigFormat,
  formatOf,
  loadConfigFile,
  type LoadOptions,
  loadParsersFile,
} from "./load.ts";
export { COMMAND_LINE, type QuickArg, rawConfigFromArgs } from "./quick_mode.ts";
export { resolveConfig } from "./resolve.ts";
export {
  ConfigError,
  type ConfigProblem,
  formatProblem,
  type Pos,
  type RawConfig,
} from "./model.ts";
