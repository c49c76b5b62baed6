/**
 * `deno task bench`: the foundation benchmarks. 1,000,000 lines of ~210 bytes
 * (half Apache access lines, half JSON) through `stdin -> null` and
 * `stdin -> file`; `dummy -> null`; and the idle footprint (RSS after 10 s of
 * `dummy` at rate 1, and time until the monitoring server answers).
 */
import { benchInput, countLines } from "./lines.ts";
import { measure, report, sluiceCommand } from "./measure.ts";

const { lines: LINES, out, input } = await benchInput();

const { entry, cmd: sluice } = await sluiceCommand();

console.log(
  `sluice benchmarks, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry})`,
);

const toNull = await measure([...sluice, "-i", "stdin", "-o", "null", "-f", "0.1"], {
  stdinFile: input,
});
console.log(report("stdin -> null", LINES, toNull));

const outFile = `${out}/stdin_file.out`;
await Deno.remove(outFile).catch(() => {});
const toFile = await measure(
  [
    ...sluice,
    "-i",
    "stdin",
    "-o",
    "file",
    "-p",
    `path=${out}`,
    "-p",
    "file=stdin_file.out",
    "-p",
    "format=plain",
    "-f",
    "0.1",
  ],
  { stdinFile: input },
);
const written = await countLines(outFile);
console.log(report("stdin -> file", LINES, toFile) + `  [${written} records written]`);
if (written !== LINES) console.log(`!! stdin -> file wrote ${written} records, expected ${LINES}`);

const dummyN = 2_000_000;
const dummy = await measure([
  ...sluice,
  "-i",
  "dummy",
  "-p",
  "rate=10000000",
  "-p",
  `samples=${dummyN}`,
  "-o",
  "null",
  "-f",
  "0.1",
]);
console.log(report("dummy -> null", dummyN, dummy));

await idle();

async function idle(): Promise<void> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const started = performance.now();
  const [program, ...rest] = sluice;
  if (program === undefined) throw new RangeError("Cannot start sluice: the command is empty");
  const child = new Deno.Command(program, {
    args: [
      ...rest,
      "-i",
      "dummy",
      "-p",
      "rate=1",
      "-o",
      "null",
      "-H",
      "-P",
      String(port),
      "-q",
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let ready = 0;
  while (performance.now() - started < 20_000) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/uptime`);
      await res.body?.cancel();
      if (res.ok) {
        ready = performance.now() - started;
        break;
      }
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  await new Promise((r) => setTimeout(r, 10_000));
  const status = await Deno.readTextFile(`/proc/${child.pid}/status`);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  child.kill("SIGTERM");
  await child.status;
  console.log(
    `idle dummy(rate 1) -> null         ${
      rss.toFixed(1)
    } MB RSS after 10 s; monitoring server answered ${ready.toFixed(0)} ms after start`,
  );
}
