/**
 * `deno task bench:tcp-input`: 1,000,000 JSON lines (~210 bytes) sent over 4 connections
 * into `tcp -> null`, for sluice and, when the peer is present, Fluent Bit 4.2.8 side by
 * side in the same run: records/s (first byte sent until the null output counted every
 * record, read from /api/v1/metrics), CPU seconds and peak RSS, and the ratio.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { benchLine } from "./lines.ts";
import { fluentBitNull, freePort, sluiceCommand, writeNullConfig } from "./measure.ts";
import { resultLine, runStreamBench } from "./stream_input.ts";

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

const sluicePort = freePort(), sluiceHttp = freePort();
const config = `${out}/tcp_input.yaml`;
await writeNullConfig(config, {
  httpPort: sluiceHttp,
  input: `    - name: tcp\n      listen: 127.0.0.1\n      port: ${sluicePort}\n`,
});
const sluice = await runStreamBench({
  name: "sluice tcp -> null",
  cmd: [...sluiceCmd, "-c", config],
  port: sluicePort,
  httpPort: sluiceHttp,
  payloads: data,
  records: LINES,
});
console.log(resultLine(sluice));

const fb = await fluentBitPath();
if (!fb) {
  console.log("Fluent Bit 4.2.8 not found (FLUENT_BIT or ../shared/peers): no side-by-side run");
} else {
  const fbPort = freePort(), fbHttp = freePort();
  const peer = await runStreamBench({
    name: "Fluent Bit tcp -> null",
    cmd: fluentBitNull(fb, fbHttp, [
      "-i",
      "tcp",
      "-p",
      "listen=127.0.0.1",
      "-p",
      `port=${fbPort}`,
      "-p",
      "format=json",
    ]),
    port: fbPort,
    httpPort: fbHttp,
    payloads: data,
    records: LINES,
  });
  console.log(resultLine(peer));
  console.log(
    `ratio sluice / Fluent Bit: ${(sluice.rate / peer.rate).toFixed(2)}x records/s, ` +
      `${(sluice.peakRssMb / peer.peakRssMb).toFixed(2)}x peak RSS, ` +
      `${(sluice.cpu / peer.cpu).toFixed(2)}x CPU-s`,
  );
}
