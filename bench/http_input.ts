/**
 * `deno task bench:http-input`: 1,000,000 JSON records POSTed in batches of 1,000 by 8
 * concurrent clients (in this process) to sluice's `http` input (-> null), and the same
 * load to Fluent Bit 4.2.8's `in_http` (-> null) when its binary is present
 * (../shared/peers/fluent-bit-4.2.8/run or $FLUENT_BIT). Timed from the first POST
 * to the last 2xx (a 2xx means the receiver took the batch); prints records/s, CPU seconds
 * and peak RSS (GNU time) of each receiver and the sluice/Fluent Bit ratio. 503s are
 * retried after 20 ms and counted. `BENCH_RECORDS` sets the record count.
 */

import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { postAll } from "./load.ts";
import { freePort, loadAverage, sluiceCommand, startMeasured, waitListening } from "./measure.ts";

const RECORDS = Number(Deno.env.get("BENCH_RECORDS") ?? 1_000_000);
const BATCH = 1000;
const CLIENTS = 8;

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

interface Run {
  recordsPerSecond: number;
  cpu: number;
  peakRssMb: number;
  refused: number;
}

/** Runs `cmd` under GNU time, loads it on `port`, stops it with SIGTERM. */
async function run(cmd: string[], port: number, payloads: Uint8Array[]): Promise<Run> {
  const receiver = startMeasured(cmd);
  await waitListening(port);
  const started = performance.now();
  const refused = await postAll(`http://127.0.0.1:${port}/bench`, payloads, {
    requests: Math.ceil(RECORDS / BATCH),
    clients: CLIENTS,
    contentType: "application/json",
    retryMs: 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const m = await receiver.stop();
  if (m.code !== 0) console.log(m.stderr);
  return { recordsPerSecond: RECORDS / seconds, cpu: m.cpu, peakRssMb: m.peakRssMb, refused };
}

function line(name: string, r: Run): string {
  return `${name.padEnd(28)} ${
    Math.round(r.recordsPerSecond).toLocaleString("en-US").padStart(10)
  } records/s  ${r.cpu.toFixed(2).padStart(6)} CPU-s  ${
    r.peakRssMb.toFixed(1).padStart(6)
  } MB peak RSS  ${r.refused} x 503  (load ${loadAverage()})`;
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
const { cmd: sluice } = await sluiceCommand();
const s = await run([...sluice, "-c", `${dir}/sluice.yaml`], sluicePort, payloads);
console.log(line("sluice http -> null", s));

const fb = await fluentBitPath();
if (fb === null) {
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
