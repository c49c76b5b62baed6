/**
 * `deno task bench:loki`: `tail -> loki` with the 1,000,000-line benchmark file into a
 * local Loki push endpoint (`bench/loki_sink.ts`, its own process), side by side with
 * Fluent Bit 4.2.8's loki output on the same file and endpoint when the peer is present:
 * lines/s, CPU seconds, peak RSS and the ratio.
 */
import { benchInput } from "./lines.ts";
import { freePort, loadAverage, sluiceCommand, startSink } from "./measure.ts";
import { runSide, sideBySide, tailBenchConfig } from "./until_delivered.ts";

const { lines: LINES, out, input } = await benchInput();
const { entry, cmd: sluice } = await sluiceCommand();

console.log(
  `loki benchmark, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry}), ` +
    `load ${loadAverage()}`,
);
await sideBySide(sluice, async (side) => {
  const port = freePort();
  const sink = await startSink("loki_sink.ts", port);
  const yaml = tailBenchConfig(
    input,
    `    - name: loki
      match: "*"
      port: ${port}
      labels: job=bench
`,
  );
  try {
    const count = async () => (await (await fetch(`http://127.0.0.1:${port}/`)).json()).records;
    const path = `${out}/loki_${side.name.replaceAll(" ", "_")}.yaml`;
    return await runSide(side, "tail -> loki", path, yaml, { count, expected: LINES });
  } finally {
    sink.kill("SIGTERM");
    await sink.status;
    await sink.stdout.cancel().catch(() => {});
  }
});
