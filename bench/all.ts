/**
 * `deno task bench`: every benchmark in sequence, each in its own process so one's memory
 * does not colour the next: `bench/run.ts` first, then every `bench:<name>` task of
 * deno.json in the order written there.
 */
const root = new URL("..", import.meta.url).pathname;
const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));
const tasks = Object.keys(config.tasks ?? {}).filter((t) => t.startsWith("bench:"));
const runs: string[][] = [
  ["run", "--allow-all", `${root}bench/run.ts`],
  ...tasks.map((t) => ["task", t]),
];
let failed = 0;
for (const args of runs) {
  const { code } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    failed++;
    console.log(`!! deno ${args.join(" ")} exited ${code}`);
  }
}
Deno.exit(failed > 0 ? 1 : 0);
