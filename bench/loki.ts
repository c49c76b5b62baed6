/**
 * `deno task bench:loki`: `tail -> loki` with the 1,000,000-line benchmark file into a
 * local Loki push endpoint (`bench/loki_sink.ts`, its own process), side by side with
 * Fluent Bit 4.2.8's loki output on the same file and endpoint when the peer is present:
 * lines/s, CPU seconds, peak RSS and the ratio.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { benchInput } from "./lines.ts";
import { freePort, loadAverage, sluiceCommand, startSink } from "./measure.ts";
import { deliveredLine, ratioLine, runUntilDelivered } from "./until_delivered.ts";

const { lines: LINES, out, input } = await benchInput();
const { entry, cmd: sluice } = await sluiceCommand();

function config(port: number): string {
  return `service:
  flush: 0.2
  log_level: warn
pipeline:
  inputs:
    - name: tail
      path: ${input}
      read_from_head: true
      refresh_interval: 1
  outputs:
    - name: loki
      match: "*"
      port: ${port}
      labels: job=bench
`;
}

async function side(name: string, cmd: (path: string) => string[]) {
  const port = freePort();
  const sink = await startSink("loki_sink.ts", port);
  const path = `${out}/loki_${name.replaceAll(" ", "_")}.yaml`;
  await Deno.writeTextFile(path, config(port));
  try {
    const count = async () => (await (await fetch(`http://127.0.0.1:${port}/`)).json()).records;
    const r = await runUntilDelivered(`tail -> loki (${name})`, cmd(path), {
      count,
      expected: LINES,
    });
    console.log(deliveredLine(r));
    if (r.delivered !== LINES) console.log(`!! ${name} delivered ${r.delivered} of ${LINES}`);
    return r;
  } finally {
    sink.kill("SIGTERM");
    await sink.status;
    await sink.stdout.cancel().catch(() => {});
  }
}

console.log(
  `loki benchmark, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry}), ` +
    `load ${loadAverage()}`,
);
const ours = await side("sluice", (path) => [...sluice, "-c", path]);
const bin = await fluentBitPath();
if (bin) {
  const theirs = await side("Fluent Bit 4.2.8", (path) => [bin, "-c", path]);
  console.log(ratioLine(ours, theirs));
} else {
  console.log("Fluent Bit 4.2.8 peer not found: sluice's figures only");
}
