/**
 * `deno task bench:tcp-input`: 1,000,000 JSON lines (~210 bytes) sent over 4 connections
 * into `tcp -> null`, for sluice and, when the peer is present, Fluent Bit 4.2.8 side by
 * side in the same run: records/s (first byte sent until the null output counted every
 * record, read from /api/v1/metrics), CPU seconds and peak RSS, and the ratio.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { benchLine } from "./lines.ts";

const LINES = Number(Deno.env.get("BENCH_LINES") ?? 1_000_000);
const CONNECTIONS = 4;
const root = new URL("..", import.meta.url).pathname;
const out = `${root}bench/out`;
await Deno.mkdir(out, { recursive: true });

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

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

async function connectWhenUp(port: number, deadline: number): Promise<Deno.Conn> {
  while (true) {
    try {
      return await Deno.connect({ hostname: "127.0.0.1", port });
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

interface Result {
  name: string;
  rate: number;
  seconds: number;
  cpu: number;
  peakRssMb: number;
  delivered: number;
}

/** Peak RSS (VmHWM, MB) and CPU seconds (utime + stime) of a live process, from /proc. */
async function usage(pid: number): Promise<{ peakRssMb: number; cpu: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]); // fields 14 and 15 of /proc/PID/stat
  return { peakRssMb: hwm / 1024, cpu: ticks / 100 };
}

/** Runs `cmd`, sends the payloads once it listens, waits for every record, reads its usage. */
async function run(
  name: string,
  cmd: string[],
  port: number,
  httpPort: number,
  data: Uint8Array[],
): Promise<Result> {
  const [program, ...args] = cmd;
  if (program === undefined) throw new RangeError("Cannot run a receiver: empty command");
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const deadline = Date.now() + 20_000;
  while ((await outputRecords(httpPort)) < 0) {
    if (Date.now() > deadline) throw new Error(`${name} did not start: ${await stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const conns = await Promise.all(data.map(() => connectWhenUp(port, deadline)));
  const started = performance.now();
  await Promise.all(conns.map(async (conn, i) => {
    let at = 0;
    const bytes = data[i]!;
    while (at < bytes.length) at += await conn.write(bytes.subarray(at, at + (1 << 20)));
    conn.close();
  }));
  let delivered = 0;
  const waitUntil = Date.now() + Number(Deno.env.get("BENCH_WAIT_MS") ?? 300_000);
  while ((delivered = await pollRecords(httpPort, delivered)) < LINES && Date.now() < waitUntil) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = await usage(child.pid);
  child.kill("SIGTERM");
  await child.status;
  await stderr;
  return { name, rate: delivered / seconds, seconds, ...used, delivered };
}

function line(r: Result): string {
  return `${r.name.padEnd(24)} ${
    Math.round(r.rate).toLocaleString("en-US").padStart(12)
  } records/s  ` +
    `${r.cpu.toFixed(2).padStart(6)} CPU-s  ${r.peakRssMb.toFixed(1).padStart(7)} MB peak RSS  ` +
    `(${r.seconds.toFixed(2)} s, load ${load1()})` +
    (r.delivered === LINES ? "" : `  !! ${r.delivered} delivered`);
}

/** The 1-minute load average: other work on the machine colours every figure. */
function load1(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ")[0] ?? "?";
  } catch {
    return "?";
  }
}

const data = payloads();
const totalMb = data.reduce((n, d) => n + d.length, 0) / 1e6;
console.log(
  `tcp input benchmark: ${LINES.toLocaleString("en-US")} JSON lines (${totalMb.toFixed(0)} MB) ` +
    `over ${CONNECTIONS} connections, tcp -> null`,
);

// The bundle starts without resolving the module graph, as the compiled binary would.
const built = await new Deno.Command(Deno.execPath(), {
  args: ["task", "bundle"],
  cwd: root,
  stdout: "null",
  stderr: "null",
}).output();
const entry = built.success ? `${root}dist/sluice.js` : `${root}main.ts`;

// BENCH_DENO_FLAGS: extra `deno run` flags for sluice, e.g. "--cpu-prof --cpu-prof-dir=bench/out".
const denoFlags = (Deno.env.get("BENCH_DENO_FLAGS") ?? "").split(" ").filter(Boolean);
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
  [Deno.execPath(), "run", "--allow-all", ...denoFlags, entry, "-c", config],
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
      "-i",
      "tcp",
      "-p",
      "listen=127.0.0.1",
      "-p",
      `port=${fbPort}`,
      "-p",
      "format=json",
      "-o",
      "null",
      "-m",
      "*",
    ],
    fbPort,
    fbHttp,
    data,
  );
  console.log(line(peer));
  console.log(
    `ratio sluice / Fluent Bit: ${(sluice.rate / peer.rate).toFixed(2)}x records/s, ` +
      `${(sluice.peakRssMb / peer.peakRssMb).toFixed(2)}x peak RSS, ` +
      `${(sluice.cpu / peer.cpu).toFixed(2)}x CPU-s`,
  );
}
