/**
 * `deno task bench:monitoring`: what the monitoring server costs `tail -> null` on copies of
 * the 1,000,000-line benchmark file (8 by default, `BENCH_MONITORING_COPIES`; so a run lasts
 * seconds, long enough for the page to poll; `read_from_head`, `exit_on_eof`): without the server, with it
 * on and nobody asking, with the status page open in headless Chromium (one poll of
 * `/api/v2/pipeline` a second), with `sluice top` attached, and with `/api/v2/pipeline` read
 * ten times a second (a busy dashboard). Figures are sluice's own: the browser, top and the
 * poller run in other processes. Then the CPU one request costs an idle instance, for the
 * page (`/api/v2/pipeline`) and Prometheus (`/api/v2/metrics/prometheus`). Fluent Bit has no
 * status page to compare with.
 */
import { Browser, chromiumPath } from "../src/testing/chromium.ts";
import { benchInput } from "./lines.ts";
import {
  freePort,
  loadAverage,
  measure,
  type Measurement,
  report,
  sluiceCommand,
  waitListening,
} from "./measure.ts";

const { lines: ONE, out, input: one } = await benchInput();
const COPIES = Number(Deno.env.get("BENCH_MONITORING_COPIES") ?? 8);
const dir = `${out}/monitoring`;
await Deno.mkdir(dir, { recursive: true });
const size = (await Deno.stat(one)).size;
for (let i = 0; i < COPIES; i++) {
  const copy = `${dir}/lines_${i}.log`;
  const st = await Deno.stat(copy).catch(() => undefined);
  if (st?.size !== size) await Deno.copyFile(one, copy);
}
const LINES = ONE * COPIES;
const input = `${dir}/lines_*.log`;
const { entry, cmd: sluice } = await sluiceCommand();

function tailToNull(http?: number): string[] {
  return [
    ...sluice,
    "-i",
    "tail",
    "-p",
    `path=${input}`,
    "-p",
    "read_from_head=on",
    "-p",
    "exit_on_eof=on",
    "-o",
    "null",
    "-f",
    "0.1",
    "-q",
    ...(http ? ["-H", "-P", String(http)] : []),
  ];
}

/** Runs tail -> null with the server on `port`, `attach` starting a client once it answers. */
async function withClient(
  attach: (port: number) => Promise<() => Promise<string>>,
): Promise<{ m: Measurement; note: string }> {
  const port = freePort();
  const run = measure(tailToNull(port));
  let detach: (() => Promise<string>) | undefined;
  try {
    await waitListening(port, "/api/v1/uptime");
    detach = await attach(port);
  } catch (e) {
    console.log(`!! client did not attach: ${e instanceof Error ? e.message : e}`);
  }
  const m = await run;
  const note = detach ? await detach() : "";
  return { m, note };
}

console.log(
  `monitoring server cost on tail -> null, ${
    LINES.toLocaleString("en-US")
  } lines (${entry}); load average ${loadAverage()} (2 shared cores: other work colours these)`,
);

const results: Array<[string, Measurement, string]> = [];
// One unmeasured run first: the copies just made, or evicted, would make the baseline pay
// for reading them from disk and the other runs look cheaper than no server at all.
await measure(tailToNull());
const base = await measure(tailToNull());
results.push(["no monitoring server", base, ""]);

const port = freePort();
results.push(["server on, no client", await measure(tailToNull(port)), ""]);

const chromium = chromiumPath();
if (chromium) {
  const browser = await Browser.launch(chromium);
  try {
    const { m, note } = await withClient(async (p) => {
      await browser.goto(`http://127.0.0.1:${p}/`);
      return async () => {
        const n = await browser.evaluate<string>("document.body.dataset.updates");
        return `[page polled ${n} times]`;
      };
    });
    results.push(["server + status page open", m, note]);
  } finally {
    await browser.close();
  }
} else {
  console.log("(status page run skipped: chromium is not installed)");
}

{
  const { m, note } = await withClient((p) => {
    const top = new Deno.Command(sluice[0]!, {
      args: [...sluice.slice(1), "top", "-P", String(p)],
      stdout: "null",
      stderr: "null",
      stdin: "null",
    }).spawn();
    return Promise.resolve(async () => {
      const status = await top.status;
      return `[top exited ${status.code} when the instance went away]`;
    });
  });
  results.push(["server + sluice top", m, note]);
}

{
  const { m, note } = await withClient((p) => {
    let polls = 0;
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          const res = await fetch(`http://127.0.0.1:${p}/api/v2/pipeline`);
          await res.arrayBuffer();
          polls++;
        } catch {
          running = false;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    return Promise.resolve(async () => {
      running = false;
      await loop;
      return `[${polls} reads of /api/v2/pipeline]`;
    });
  });
  results.push(["server + pipeline read 10/s", m, note]);
}

for (const [name, m, note] of results) {
  const cost = m === base ? "" : `  CPU ${((m.cpu / base.cpu - 1) * 100).toFixed(1)}% vs no server`;
  console.log(`${report(name, LINES, m)}${cost} ${note}`);
  if (m.code !== 0) console.log(`!! ${name} exited with ${m.code}: ${m.stderr.slice(-500)}`);
}

/** CPU seconds (user + system) a process has used, from /proc. */
async function cpuOf(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

{
  const p = freePort();
  const idle = new Deno.Command(sluice[0]!, {
    args: [
      ...sluice.slice(1),
      "-i",
      "dummy",
      "-p",
      "rate=1",
      "-o",
      "null",
      "-q",
      "-H",
      "-P",
      String(p),
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await waitListening(p, "/api/v1/uptime");
    const N = 1000;
    for (const path of ["/api/v2/pipeline", "/api/v2/metrics/prometheus", "/"]) {
      const before = await cpuOf(idle.pid);
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await (await fetch(`http://127.0.0.1:${p}${path}`)).arrayBuffer();
      const wall = (performance.now() - t0) / 1000;
      const cpu = (await cpuOf(idle.pid)) - before;
      console.log(
        `GET ${path.padEnd(28)} ${(cpu * 1e6 / N).toFixed(0).padStart(6)} µs CPU per request ` +
          `(${N} requests, ${(N / wall).toFixed(0)} requests/s from one client)`,
      );
    }
  } finally {
    idle.kill("SIGTERM");
    await idle.status;
  }
}
console.log(`load average after: ${loadAverage()}`);
