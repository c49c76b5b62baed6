/**
 * The filter cases compared with Fluent Bit 4.2.8 (`testdata/fb_filters/<case>/`): a tail of
 * `input.jsonl` through the case's filters to a file output (`format plain`, one file per
 * tag), as `fluent-bit.conf` and as `fluent-bit.yaml`; `expected/` holds Fluent Bit's files
 * (written by `tools/filter_goldens.ts`).
 */

/** The cases' directory (ends with `/`). */
export const CASES_DIR: string = new URL("../testdata/fb_filters/", import.meta.url).pathname;
const root = CASES_DIR;

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

/** The files of `expected/` of a case, by tag. */
export async function expectedFiles(name: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for await (const e of Deno.readDir(`${root}${name}/expected`)) {
    files[e.name] = await Deno.readTextFile(`${root}${name}/expected/${e.name}`);
  }
  return files;
}

/**
 * Output files as comparable text: the tags sorted, each line's JSON re-serialised (sluice
 * has one number type, so Fluent Bit's `2.0` and sluice's `2` compare equal; key order counts).
 */
export function normalized(files: Record<string, string>): string {
  return Object.keys(files).sort().map((tag) =>
    `== ${tag}\n` +
    files[tag]!.split("\n").filter((l) => l !== "").map((l) => JSON.stringify(JSON.parse(l)))
      .join("\n")
  ).join("\n");
}
