/**
 * Running a stream-input benchmark: start a collector (sluice or Fluent Bit) with its
 * monitoring server on, send payloads over TCP connections once it is up, and wait until
 * its outputs counted every record (`/api/v1/metrics`, which both serve). Reports
 * records/s from the first byte sent, CPU seconds and peak RSS from GNU time.
 */

import { errorMessage } from "../src/error_message.ts";
import { writeAll } from "../src/engine/write_all.ts";
import { until } from "../src/testing/until.ts";
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { freePort, loadAverage, startMeasured } from "./measure.ts";

/** What one run cost. */
export interface StreamResult {
  name: string;
  rate: number;
  seconds: number;
  cpu: number;
  peakRssMb: number;
  delivered: number;
  expected: number;
}

/** How to run one collector and what to send it. */
export interface StreamRun {
  /** Shown in the result line. */
  name: string;
  /** The command starting the collector. */
  cmd: string[];
  /** The port its input listens on. */
  port: number;
  /** The port of its monitoring server. */
  httpPort: number;
  /** One payload per connection, written whole then closed. */
  payloads: readonly Uint8Array[];
  /** Records the payloads hold. */
  records: number;
}

/** Records the outputs of the process whose monitoring API is on `httpPort` processed (-1 when it does not answer). */
export async function outputRecords(httpPort: number): Promise<number> {
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

/** Runs one collector until its outputs counted every record of the payloads, and measures it. */
export async function runStreamBench(run: StreamRun): Promise<StreamResult> {
  const collector = startMeasured(run.cmd);
  try {
    await until(async () => (await outputRecords(run.httpPort)) >= 0, `${run.name} to start`, {
      timeout: 20_000,
      interval: 50,
    });
  } catch (e) {
    const m = await collector.stop();
    throw new Error(`${errorMessage(e)}: ${m.stderr}`);
  }
  const conns = await Promise.all(run.payloads.map(() =>
    until(
      () => Deno.connect({ hostname: "127.0.0.1", port: run.port }).catch(() => null),
      `${run.name} to accept on ${run.port}`,
      { timeout: 20_000, interval: 50 },
    )
  ));
  const started = performance.now();
  await Promise.all(conns.map(async (conn, i) => {
    await writeAll(conn, run.payloads[i]!);
    conn.close();
  }));
  let delivered = 0;
  await until(
    async () => {
      const n = await outputRecords(run.httpPort);
      if (n >= 0) delivered = n;
      return delivered >= run.records;
    },
    "every record at the outputs",
    {
      timeout: Number(Deno.env.get("BENCH_WAIT_MS") ?? 300_000),
      interval: 20,
    },
  ).catch(() => {}); // the result line says how many were delivered
  const seconds = (performance.now() - started) / 1000;
  const m = await collector.stop();
  return {
    name: run.name,
    rate: delivered / seconds,
    seconds,
    cpu: m.cpu,
    peakRssMb: m.peakRssMb,
    delivered,
    expected: run.records,
  };
}

/** A result line: name, records/s, CPU seconds, peak RSS, wall seconds. */
export function resultLine(r: StreamResult): string {
  return `${r.name.padEnd(28)} ${
    Math.round(r.rate).toLocaleString("en-US").padStart(12)
  } records/s  ${r.cpu.toFixed(2).padStart(6)} CPU-s  ${
    r.peakRssMb.toFixed(1).padStart(7)
  } MB peak RSS  (${r.seconds.toFixed(2)} s, load ${loadAverage()})` +
    (r.delivered === r.expected ? "" : `  !! ${r.delivered} of ${r.expected} delivered`);
}

/** Commands for a side-by-side run: each receiver on its own listening and HTTP ports. */
export interface SideBySide {
  /** What is measured, e.g. "tcp -> null". */
  what: string;
  payloads: Uint8Array[];
  records: number;
  /** The sluice command line listening on `port`, its monitoring server on `httpPort`. */
  sluice(port: number, httpPort: number): Promise<string[]>;
  /** The Fluent Bit command line (binary `bin`) on the same terms. */
  fluentBit(bin: string, port: number, httpPort: number): Promise<string[]>;
}

/**
 * Runs sluice, then Fluent Bit when it is present, on the same payloads, and prints each
 * result line and the ratios (records/s, peak RSS, CPU-s).
 */
export async function runSideBySide(s: SideBySide): Promise<void> {
  const run = async (name: string, cmd: (port: number, http: number) => Promise<string[]>) => {
    const port = freePort(), httpPort = freePort();
    const r = await runStreamBench({
      name: `${name} ${s.what}`,
      cmd: await cmd(port, httpPort),
      port,
      httpPort,
      payloads: s.payloads,
      records: s.records,
    });
    console.log(resultLine(r));
    return r;
  };
  const sluice = await run("sluice", s.sluice);
  const fb = await fluentBitPath();
  if (!fb) {
    console.log("Fluent Bit 4.2.8 not found (FLUENT_BIT or ../shared/peers): no side-by-side run");
    return;
  }
  const peer = await run("Fluent Bit", (port, http) => s.fluentBit(fb, port, http));
  console.log(
    `ratio sluice / Fluent Bit: ${(sluice.rate / peer.rate).toFixed(2)}x records/s, ` +
      `${(sluice.peakRssMb / peer.peakRssMb).toFixed(2)}x peak RSS, ` +
      `${(sluice.cpu / peer.cpu).toFixed(2)}x CPU-s`,
  );
}
