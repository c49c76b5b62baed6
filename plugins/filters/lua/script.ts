/** Where the lua filter's source comes from: `code`, or the `script` file as Fluent Bit finds it. */
import { isAbsolute, join } from "node:path";
import { OptionError } from "../../../src/plugin.ts";
import type { ScriptSource } from "./vm/state.ts";

/**
 * The source to load: `code` when set (chunk `fluentbit.lua`), else the `script` file, read
 * from the path as given or, when that does not exist and is relative, from `configDir`.
 * Throws OptionError naming the key when neither is set or the file cannot be read.
 */
export async function scriptSource(
  options: { code: string | undefined; script: string | undefined },
  configDir: string | undefined,
): Promise<ScriptSource> {
  if (options.code !== undefined) return { code: options.code, chunkName: "fluentbit.lua" };
  const script = options.script;
  if (script === undefined || script === "") {
    throw new OptionError("script", "no script path defined: set script (a file) or code");
  }
  const candidates = [script];
  if (!isAbsolute(script) && configDir) candidates.push(join(configDir, script));
  for (const path of candidates) {
    try {
      return { code: await Deno.readTextFile(path), chunkName: `@${path}` };
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) continue;
      throw new OptionError("script", `cannot access script '${path}': ${(e as Error).message}`);
    }
  }
  throw new OptionError(
    "script",
    `cannot access script '${script}': no such file` +
      (candidates.length > 1 ? ` (also tried ${candidates[1]})` : ""),
  );
}
