/**
 * `deno task bench:tcp-input`: 1,000,000 JSON lines (~210 bytes) sent over 4 connections
 * into `tcp -> null`, for sluice and, when the peer is present, Fluent Bit 4.2.8 side by
 * side in the same run: records/s (first byte sent until the null output counted every
 * record, read from /api/v1/metrics), CPU seconds and peak RSS, and the ratio.
 */
import { fluentBitPath, fluentBitPlugin } from "../src/testing/fluent_bit.ts";
import { errorMessage } from "../src/error_message.ts";
import { writeAll } from "../src/engine/write_all.ts";
import { until } from "../src/testing/until.ts";
import { benchLine } from "./lines.ts";
import { freePort, sluiceCommand, startMeasured } from "./measure.ts";

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

async function outputRecords(httpPort: number): Promise<number> {
  try {
    // A fresh connection each time, with a deadline: a pooled keep-alive one can hang.
    const res = await fetch(`http://127.0.0.1:${httpPort}/api/v1/metrics`, {
      headers: { connection: "close" },
      signal: AbortSignal.timeout(2000),
    });
    const body = await res.json() as { output?: Record<string, { proc_records?: number }> };
    return Object.values(body.output ?? {}).reduce((n, o) => n + (o.proc_records ?? 0), 0);
  } catch {
    return -1;
  }
}

/** {@link outputRecords}, keeping the last good count when one poll fails. */
async function pollRecords(httpPort: number, last: number): Promise<number> {
  const n = await outputRecords(httpPort);
  return n < 0 ? last : n;
}

interface Result {
  name: string;
  rate: number;
  seconds: number;
  cpu: number;
  peakRssMb: number;
  delivered: number;
}

/** Runs `cmd` under GNU time, sends the payloads once it listens, waits for every record. */
async function run(
  name: string,
  cmd: string[],
  port: number,
  httpPort: number,
  data: Uint8Array[],
): Promise<Result> {
  const receiver = startMeasured(cmd);
  try {
    await until(async () => (await outputRecords(httpPort)) >= 0, `${name} to start`, {
      timeout: 20_000,
      interval: 50,
    });
  } catch (e) {
    const m = await receiver.stop();
    throw new Error(`${errorMessage(e)}: ${m.stderr}`);
  }
  const conns = await Promise.all(
    data.map(() =>
      until(
        () => Deno.connect({ hostname: "127.0.0.1", port }).catch(() => null),
        `${name}:${port}`,
        {
          timeout: 20_000,
          interval: 50,
        },
      )
    ),
  );
  const started = performance.now();
  await Promise.all(conns.map(async (conn, i) => {
    await writeAll(conn, data[i]!);
    conn.close();
  }));
  let delivered = 0;
  await until(
    async () => (delivered = await pollRecords(httpPort, delivered)) >= LINES,
    "every record at the null output",
    { timeout: Number(Deno.env.get("BENCH_WAIT_MS") ?? 300_000), interval: 20 },
  ).catch(() => {}); // the result line says how many were delivered
  const seconds = (performance.now() - started) / 1000;
  const m = await receiver.stop();
  return {
    name,
    rate: delivered / seconds,
    seconds,
    cpu: m.cpu,
    peakRssMb: m.peakRssMb,
    delivered,
  };
}

function line(r: Result): string {
  return `${r.name.padEnd(24)} ${
    Math.round(r.rate).toLocaleString("en-US").padStart(12)
  } records/s  ` +
    `${r.cpu.toFixed(2).padStart(6)} CPU-s  ${r.peakRssMb.toFixed(1).padStart(7)} MB peak RSS  ` +
    `(${r.seconds.toFixed(2)} s)` + (r.delivered === LINES ? "" : `  !! ${r.delivered} delivered`);
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
await Deno.writeTextFile(
  config,
  `
service:
  flush: 0.2
  log_level: warn
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${sluiceHttp}
pipeline:
  inputs:
    - name: tcp
      listen: 127.0.0.1
      port: ${sluicePort}
  outputs:
    - name: "null"
      match: "*"
`,
);
const sluice = await run(
  "sluice tcp -> null",
  [...sluiceCmd, "-c", config],
  sluicePort,
  sluiceHttp,
  data,
);
console.log(line(sluice));

const fb = await fluentBitPath();
if (!fb) {
  console.log("Fluent Bit 4.2.8 not found (FLUENT_BIT or ../shared/peers): no side-by-side run");
} else {
  const fbPort = freePort(), fbHttp = freePort();
  const peer = await run(
    "Fluent Bit tcp -> null",
    [
      fb,
      "-q",
      "-f",
      "0.2",
      "-H",
      "-L",
      "127.0.0.1",
      "-P",
      String(fbHttp),
      ...fluentBitPlugin("-i", "tcp", { listen: "127.0.0.1", port: fbPort, format: "json" }),
      ...fluentBitPlugin("-o", "null", { match: "*" }),
    ],
    fbPort,
    fbHttp,
    data,
  );
  console.log(line(peer));
  console.log(
    `ratio sluice / Fluent Bit: ${(sluice.rate / peer.rate).toFixed(2)}x records/s, ` +
      `${(sluice.peakRssMb / peer.peakRssMb).toFixed(2)}x peak RSS`,
  );
}
