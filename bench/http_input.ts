/**
 * `deno task bench:http-input`: 1,000,000 JSON records POSTed in batches of 1,000 by 8
 * concurrent clients (in this process) to sluice's `http` input (-> null), and the same
 * load to Fluent Bit 4.2.8's `in_http` (-> null) when its binary is present
 * (../shared/peers/fluent-bit-4.2.8/fluent-bit or $FLUENT_BIT). Timed from the first POST
 * to the last 2xx (a 2xx means the receiver took the batch); prints records/s, CPU seconds
 * and peak RSS (GNU time) of each receiver and the sluice/Fluent Bit ratio. 503s are
 * retried after 20 ms and counted. `BENCH_RECORDS` sets the record count.
 */

import { freePort, readTimeFile, waitListening } from "./measure.ts";

const RECORDS = Number(Deno.env.get("BENCH_RECORDS") ?? 1_000_000);
const BATCH = 1000;
const CLIENTS = 8;
const root = new URL("..", import.meta.url).pathname;

function fluentBitBinary(): string | undefined {
  const env = Deno.env.get("FLUENT_BIT");
  const candidates = [env, `${root}../shared/peers/fluent-bit-4.2.8/fluent-bit`];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch {
      // absent
    }
  }
  return undefined;
}

/** Distinct request bodies (cycled): 1,000 records of ~130 bytes each. */
function bodies(count: number): Uint8Array[] {
  const enc = new TextEncoder();
  const out: Uint8Array[] = [];
  for (let b = 0; b < count; b++) {
    const records = Array.from({ length: BATCH }, (_, i) => ({
      n: b * BATCH + i,
      level: i % 10 === 0 ? "error" : "info",
      msg: `GET /api/v1/items?id=${(b * 7919 + i) % 100000} 200 ${i % 97}ms`,
      host: `web-${i % 8}`,
      user: `u${(b + i) % 1000}`,
    }));
    out.push(enc.encode(JSON.stringify(records)));
  }
  return out;
}

/** POSTs RECORDS / BATCH requests with CLIENTS loops; returns the 503 count. */
async function load(port: number, payloads: Uint8Array[]): Promise<number> {
  const requests = Math.ceil(RECORDS / BATCH);
  let next = 0;
  let refused = 0;
  const url = `http://127.0.0.1:${port}/bench`;
  async function client(): Promise<void> {
    while (next < requests) {
      const body = payloads[next++ % payloads.length];
      for (;;) {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: body as Uint8Array<ArrayBuffer>,
        });
        await res.body?.cancel();
        if (res.status >= 200 && res.status < 300) break;
        if (res.status !== 503) throw new Error(`the receiver answered ${res.status}`);
        refused++;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return refused;
}

interface Run {
  recordsPerSecond: number;
  cpu: number;
  peakRssMb: number;
  refused: number;
}

/** Runs `cmd` under GNU time, loads it on `port`, stops it with SIGTERM. */
async function run(cmd: string[], port: number, payloads: Uint8Array[]): Promise<Run> {
  const timeFile = await Deno.makeTempFile({ prefix: "sluice_bench_time_" });
  const child = new Deno.Command("/usr/bin/time", {
    args: ["-f", "%e %U %S %M", "-o", timeFile, ...cmd],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  await waitListening(port);
  const started = performance.now();
  const refused = await load(port, payloads);
  const seconds = (performance.now() - started) / 1000;
  const pid = Number(
    (await Deno.readTextFile(`/proc/${child.pid}/task/${child.pid}/children`)).trim().split(" ")[0],
  );
  Deno.kill(pid, "SIGTERM");
  const status = await child.status;
  const log = await stderr;
  if (status.code !== 0) console.log(log);
  const { user, sys, rssKb } = await readTimeFile(timeFile);
  await Deno.remove(timeFile);
  return { recordsPerSecond: RECORDS / seconds, cpu: user + sys, peakRssMb: rssKb / 1024, refused };
}

function line(name: string, r: Run): string {
  return `${name.padEnd(28)} ${
    Math.round(r.recordsPerSecond).toLocaleString("en-US").padStart(10)
  } records/s  ${r.cpu.toFixed(2).padStart(6)} CPU-s  ${
    r.peakRssMb.toFixed(1).padStart(6)
  } MB peak RSS  ${r.refused} x 503  (load ${load1()})`;
}

async function sluiceCommand(config: string): Promise<string[]> {
  const built = await new Deno.Command(Deno.execPath(), {
    args: ["task", "bundle"],
    cwd: root,
    stdout: "null",
    stderr: "null",
  }).output();
  const entry = built.success ? `${root}dist/sluice.js` : `${root}main.ts`;
  return [Deno.execPath(), "run", "--allow-all", entry, "-c", config];
}

/** The 1-minute load average: other work on the machine colours every figure. */
function load1(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ")[0] ?? "?";
  } catch {
    return "?";
  }
}

const payloads = bodies(50);
const dir = await Deno.makeTempDir({ prefix: "sluice_bench_http_input_" });
console.log(
  `http input: ${RECORDS.toLocaleString("en-US")} JSON records, ${BATCH} per request, ` +
    `${CLIENTS} clients, ${(payloads[0]!.length / 1024).toFixed(0)} KiB bodies`,
);

const sluicePort = freePort();
await Deno.writeTextFile(
  `${dir}/sluice.yaml`,
  `service:\n  log_level: warn\npipeline:\n  inputs:\n    - name: http\n      listen: 127.0.0.1\n` +
    `      port: ${sluicePort}\n  outputs:\n    - name: 'null'\n      match: '*'\n`,
);
const s = await run(await sluiceCommand(`${dir}/sluice.yaml`), sluicePort, payloads);
console.log(line("sluice http -> null", s));

const fb = fluentBitBinary();
if (fb === undefined) {
  console.log("Fluent Bit 4.2.8 not found (../shared/peers/fluent-bit-4.2.8 or $FLUENT_BIT)");
} else {
  const fbPort = freePort();
  await Deno.writeTextFile(
    `${dir}/fluent-bit.conf`,
    `[SERVICE]\n    flush 1\n    grace 1\n    log_level warn\n\n[INPUT]\n    name http\n` +
      `    listen 127.0.0.1\n    port ${fbPort}\n\n[OUTPUT]\n    name null\n    match *\n`,
  );
  const f = await run([fb, "-c", `${dir}/fluent-bit.conf`], fbPort, payloads);
  console.log(line("fluent-bit 4.2.8 http -> null", f));
  console.log(
    `ratio sluice / fluent-bit: ${(s.recordsPerSecond / f.recordsPerSecond).toFixed(2)}x ` +
      `records/s, ${(s.peakRssMb / f.peakRssMb).toFixed(2)}x peak RSS, ` +
      `${(s.cpu / f.cpu).toFixed(2)}x CPU-s`,
  );
}
await Deno.remove(dir, { recursive: true });
