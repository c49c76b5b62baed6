/**
 * `deno task bench:es`: `tail -> es` with the 1,000,000-line benchmark file (half Apache
 * access lines, half JSON), into a local `_bulk` receiver of its own process: records/s,
 * CPU seconds and peak RSS of sluice, and of Fluent Bit 4.2.8's es output into the same
 * receiver when its binary is there, with the ratio. Both read the file from its head and
 * exit at its end; every item is counted at the receiver.
 */
import { benchInput } from "./lines.ts";
import {
  freePort,
  loadAverage,
  measure,
  type Measurement,
  report,
  sluiceCommand,
  startSink,
} from "./measure.ts";

const { lines: LINES, out, input } = await benchInput();
const root = new URL("..", import.meta.url).pathname;
const { entry, cmd: sluice } = await sluiceCommand();
const fluentBit = `${root}../shared/peers/fluent-bit-4.2.8/fluent-bit`;
const haveFluentBit = await Deno.stat(fluentBit).then((s) => s.isFile, () => false);

const port = freePort();
const sink = await startSink("es_sink.ts", port);

async function received(): Promise<{ items: number; requests: number }> {
  return await (await fetch(`http://127.0.0.1:${port}/count`)).json();
}

async function run(name: string, cmd: string[]): Promise<Measurement> {
  await (await fetch(`http://127.0.0.1:${port}/count`, { method: "DELETE" })).body?.cancel();
  const load = loadAverage();
  const m = await measure(cmd);
  const { items, requests } = await received();
  console.log(report(name, LINES, m) + `  [${items} items in ${requests} requests, load ${load}]`);
  if (m.code !== 0) console.log(`!! ${name} exited ${m.code}: ${m.stderr.slice(-500)}`);
  if (items !== LINES) console.log(`!! ${name} delivered ${items} items, expected ${LINES}`);
  return m;
}

const yaml = (name: string) => `
service:
  flush: 1
  log_level: warn
  grace: 10
pipeline:
  inputs:
    - name: tail
      path: ${input}
      read_from_head: true
      exit_on_eof: true
  outputs:
    - name: es
      match: "*"
      host: 127.0.0.1
      port: ${port}
      suppress_type_name: on
      workers: 2
      alias: ${name}
`;
await Deno.writeTextFile(`${out}/es_sluice.yaml`, yaml("es_bench"));
await Deno.writeTextFile(`${out}/es_fluent_bit.yaml`, yaml("es_bench"));

console.log(
  `tail -> es, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry}); ` +
    "2 shared cores: the load average is printed beside each figure",
);
try {
  const ours = await run("sluice tail -> es", [...sluice, "-c", `${out}/es_sluice.yaml`]);
  if (!haveFluentBit) {
    console.log("Fluent Bit 4.2.8 not found beside the project: no side-by-side figures");
  } else {
    const theirs = await run("fluent-bit tail -> es", [
      fluentBit,
      "-c",
      `${out}/es_fluent_bit.yaml`,
    ]);
    console.log(
      `ratio sluice / Fluent Bit: ${(theirs.wall / ours.wall).toFixed(2)}x records/s, ` +
        `${(ours.cpu / theirs.cpu).toFixed(2)}x CPU-s, ` +
        `${(ours.peakRssMb / theirs.peakRssMb).toFixed(2)}x peak RSS`,
    );
  }
} finally {
  sink.kill("SIGTERM");
  await sink.status;
  await sink.stdout.cancel().catch(() => {});
}
