/**
 * `deno task bench:tap`: what `sluice tap` costs on tail -> null (1,000,000 lines of ~210 B):
 * no tap attached, a tap limited to 100 records/s, and a tap taking every record. Each run
 * starts sluice on an empty file with the monitoring server on, attaches the tap, copies the
 * benchmark file in, and times until the null output has counted every line.
 */
import { benchInput } from "./lines.ts";
import { freePort, loadAverage, sluiceCommand, startMeasured, waitListening } from "./measure.ts";

const { lines: LINES, input } = await benchInput();
const { entry, cmd } = await sluiceCommand();

async function outputCount(port: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`).then((r) =>
    r.text()
  );
  const m = /fluentbit_output_proc_records_total\{name="null\.0"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

async function run(name: string, tapArgs: string[] | undefined): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_bench_tap_" });
  const file = `${dir}/in.log`;
  await Deno.writeTextFile(file, "");
  const port = freePort();
  const sluice = startMeasured([
    ...cmd,
    "-i",
    "tail",
    "-p",
    `path=${file}`,
    "-p",
    "read_from_head=on",
    "-o",
    "null",
    "-f",
    "0.1",
    "-H",
    "-P",
    String(port),
    "-q",
  ]);
  await waitListening(port, "/api/v1/uptime");
  let tap: Deno.ChildProcess | undefined;
  if (tapArgs) {
    tap = new Deno.Command(cmd[0]!, {
      args: [...cmd.slice(1), "tap", "-H", `127.0.0.1:${port}`, ...tapArgs],
      stdout: "null",
      stderr: "null",
    }).spawn();
    await new Promise((r) => setTimeout(r, 1000));
  }
  const began = performance.now();
  await Deno.copyFile(input, file);
  while ((await outputCount(port)) < LINES) await new Promise((r) => setTimeout(r, 20));
  const wall = (performance.now() - began) / 1000;
  const m = await sluice.stop();
  await tap?.status; // it exits when the instance goes away
  await Deno.remove(dir, { recursive: true });
  console.log(
    `${name.padEnd(26)} ${Math.round(LINES / wall).toLocaleString("en-US").padStart(10)} lines/s` +
      `  ${wall.toFixed(2)} s  ${m.cpu.toFixed(2)} CPU-s (whole run)  ` +
      `${m.peakRssMb.toFixed(0)} MB peak RSS  (load ${loadAverage()})`,
  );
}

console.log(`tap cost on tail -> null, ${LINES.toLocaleString("en-US")} lines (${entry})`);
await run("no tap", undefined);
await run("tap --rate 100", ["--point", "input", "--rate", "100"]);
await run("tap, every record", ["--point", "input"]);
