/**
 * `deno task bench:tcp-input`: 1,000,000 JSON lines (~210 bytes) sent over 4 connections
 * into `tcp -> null`, for sluice and, when the peer is present, Fluent Bit 4.2.8 side by
 * side in the same run: records/s (first byte sent until the null output counted every
 * record, read from /api/v1/metrics), CPU seconds and peak RSS, and the ratio.
 */
import { benchLine } from "./lines.ts";
import { fluentBitNull, sluiceCommand, writeNullConfig } from "./measure.ts";
import { runSideBySide } from "./stream_input.ts";

const LINES = Number(Deno.env.get("BENCH_LINES") ?? 1_000_000);
const CONNECTIONS = 4;
const root = new URL("..", import.meta.url).pathname;
const out = `${root}bench/out`;
await Deno.mkdir(out, { recursive: true });

/** The payload of each connection: its share of the JSON lines. */
function payloads(): Uint8Array[] {
  const enc = new TextEncoder();
  const parts: string[][] = Array.from({ length: CONNECTIONS }, () => []);
  for (let i = 0; i < LINES; i++) {
    // benchLine gives JSON on odd numbers: use the JSON shape for every line.
    parts[i % CONNECTIONS]!.push(benchLine(2 * i + 1));
  }
  return parts.map((p) => enc.encode(p.join("\n") + "\n"));
}

const data = payloads();
const totalMb = data.reduce((n, d) => n + d.length, 0) / 1e6;
console.log(
  `tcp input benchmark: ${LINES.toLocaleString("en-US")} JSON lines (${totalMb.toFixed(0)} MB) ` +
    `over ${CONNECTIONS} connections, tcp -> null`,
);

const { cmd: sluiceCmd } = await sluiceCommand();
await runSideBySide({
  what: "tcp -> null",
  payloads: data,
  records: LINES,
  async sluice(port, httpPort) {
    const config = `${out}/tcp_input.yaml`;
    await writeNullConfig(config, {
      httpPort,
      input: `    - name: tcp\n      listen: 127.0.0.1\n      port: ${port}\n`,
    });
    return [...sluiceCmd, "-c", config];
  },
  fluentBit: (fb, port, httpPort) =>
    Promise.resolve(
      fluentBitNull(fb, httpPort, [
        "-i",
        "tcp",
        "-p",
        "listen=127.0.0.1",
        "-p",
        `port=${port}`,
        "-p",
        "format=json",
      ]),
    ),
});
