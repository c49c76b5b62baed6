/**
 * Writes the Fluent Bit 4.2.8 outputs the filter tests compare sluice against: for each case
 * in `testdata/fb_filters/<case>/`, runs the peer on `fluent-bit.conf` and on
 * `fluent-bit.yaml` (tail of `input.jsonl` → filters → file output, `format plain`, one file
 * per tag), checks the two agree, and stores the files in `expected/`.
 *
 * Usage: deno run -A tools/filter_goldens.ts [CASE...]
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";

const root = new URL("../testdata/fb_filters/", import.meta.url).pathname;

/** Runs `bin -c config` on the case and returns its output files by tag. */
export async function runCase(
  command: string[],
  dir: string,
  config: string,
): Promise<Record<string, string>> {
  const out = await Deno.makeTempDir({ prefix: "fb_filters_" });
  const [bin, ...pre] = command;
  const child = new Deno.Command(bin!, {
    args: [...pre, "-c", `${dir}/${config}`],
    env: {
      NO_COLOR: "1",
      IN: `${dir}/input.jsonl`,
      OUT: out,
      PARSERS: `${root}parsers.conf`,
      DB: `${out}/tail.db`,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const result = await child.output();
  clearTimeout(timer);
  if (!result.success) {
    throw new Error(
      `${bin} ${config} exited ${result.code}: ${new TextDecoder().decode(result.stderr)}`,
    );
  }
  const files: Record<string, string> = {};
  for await (const e of Deno.readDir(out)) {
    if (e.isFile && !e.name.startsWith("tail.db")) {
      files[e.name] = await Deno.readTextFile(`${out}/${e.name}`);
    }
  }
  await Deno.remove(out, { recursive: true });
  return files;
}

/** The case directories, or those named. */
export async function caseNames(only: readonly string[] = []): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(root)) {
    if (e.isDirectory && (only.length === 0 || only.includes(e.name))) names.push(e.name);
  }
  return names.sort();
}

if (import.meta.main) {
  const bin = await fluentBitPath();
  if (!bin) throw new Error("Fluent Bit 4.2.8 peer not found (set FLUENT_BIT)");
  for (const name of await caseNames(Deno.args)) {
    const dir = `${root}${name}`;
    const conf = await runCase([bin], dir, "fluent-bit.conf");
    const yaml = await runCase([bin], dir, "fluent-bit.yaml");
    if (JSON.stringify(conf) !== JSON.stringify(yaml)) {
      throw new Error(`${name}: Fluent Bit's outputs for .conf and .yaml differ`);
    }
    await Deno.remove(`${dir}/expected`, { recursive: true }).catch(() => {});
    await Deno.mkdir(`${dir}/expected`);
    for (const [tag, text] of Object.entries(conf)) {
      await Deno.writeTextFile(`${dir}/expected/${tag}`, text);
    }
    console.log(`${name}: ${Object.keys(conf).sort().join(", ")}`);
  }
}
