/**
 * Running a stream-input benchmark: start a collector (sluice or Fluent Bit) with its
 * monitoring server on, send payloads over TCP connections once it is up, and wait until
 * its outputs counted every record (`/api/v1/metrics`, which both serve). Reports
 * records/s from the first byte sent, CPU seconds and peak RSS (VmHWM) from /proc.
 */

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

/** Peak RSS (VmHWM, MB) and CPU seconds (utime + stime) of a live process, from /proc. */
async function usage(pid: number): Promise<{ peakRssMb: number; cpu: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = (await Deno.readTextFile(`/proc/${pid}/stat`)).split(") ")[1]!.split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]); // fields 14 and 15 of /proc/PID/stat
  return { peakRssMb: hwm / 1024, cpu: ticks / 100 };
}

/** Runs one collector until its outputs counted every record of the payloads, and measures it. */
export async function runStreamBench(run: StreamRun): Promise<StreamResult> {
  const child = new Deno.Command(run.cmd[0]!, {
    args: run.cmd.slice(1),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const deadline = Date.now() + 20_000;
  while ((await outputRecords(run.httpPort)) < 0) {
    if (Date.now() > deadline) throw new Error(`${run.name} did not start: ${await stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const conns = await Promise.all(run.payloads.map(() => connectWhenUp(run.port, deadline)));
  const started = performance.now();
  await Promise.all(conns.map(async (conn, i) => {
    let at = 0;
    const bytes = run.payloads[i]!;
    while (at < bytes.length) at += await conn.write(bytes.subarray(at, at + (1 << 20)));
    conn.close();
  }));
  let delivered = 0;
  const waitUntil = Date.now() + Number(Deno.env.get("BENCH_WAIT_MS") ?? 300_000);
  while (delivered < run.records && Date.now() < waitUntil) {
    const n = await outputRecords(run.httpPort);
    if (n >= 0) delivered = n;
    else await new Promise((r) => setTimeout(r, 20));
    if (delivered < run.records) await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = await usage(child.pid);
  child.kill("SIGTERM");
  await child.status;
  await stderr;
  return {
    name: run.name,
    rate: delivered / seconds,
    seconds,
    ...used,
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
  } MB peak RSS  (${r.seconds.toFixed(2)} s)` +
    (r.delivered === r.expected ? "" : `  !! ${r.delivered} of ${r.expected} delivered`);
}
