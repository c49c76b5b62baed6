/**
 * The configuration loader and validator: YAML and classic `.conf` loading, quick mode,
 * `${VAR}` expansion, and checking every section against the plugins' option tables.
 *
 * @example
 * ```ts
 * import { registry } from "../../plugins/registry.ts";
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".yaml" });
 * await Deno.writeTextFile(
 *   file,
 *   "pipeline:\n  inputs:\n    - name: dummy\n      rate: 5\n" +
 *     "  outputs:\n    - name: stdout\n      match: '*'\n",
 * );
 * const pipeline = resolveConfig(await loadConfigFile(file), registry);
 * await Deno.remove(file);
 * assertEquals(pipeline.inputs.map((i) => [i.name, i.options.rate]), [["dummy.0", 5]]);
 * assertEquals(pipeline.outputs.map((o) => o.name), ["stdout.0"]);
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
