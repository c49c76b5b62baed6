/**
 * What the benchmarks share: sluice as a command, a command (or a server) run under GNU
 * time for wall seconds, CPU seconds and peak RSS, result lines, free ports.
 */
import { until } from "../src/testing/until.ts";

const root = new URL("..", import.meta.url).pathname;

/** What one measured run cost. */
export interface Measurement {
  wall: number;
  cpu: number;
  peakRssMb: number;
  code: number;
  stderr: string;
}

/** The figures GNU time writes for `-f "%e %U %S %M"`. */
export interface TimeFigures {
  wall: number;
  user: number;
  sys: number;
  rssKb: number;
}

/** Reads the figures GNU time wrote to `path` (its last line); throws when they are missing. */
export async function readTimeFile(path: string): Promise<TimeFigures> {
  const text = (await Deno.readTextFile(path)).trim();
  const [wall, user, sys, rssKb] = (text.split("\n").pop() ?? "").split(" ").map(Number);
  if (wall === undefined || user === undefined || sys === undefined || rssKb === undefined) {
    throw new SyntaxError(
      `Cannot parse GNU time output ${JSON.stringify(text)}: expected "wall user sys rss_kb"`,
    );
  }
  return { wall, user, sys, rssKb };
}

/** How {@link measure} and {@link startMeasured} run a command. */
export interface RunOptions {
  /** A file piped to the command's stdin (else stdin is closed). */
  stdinFile?: string;
  /** The command's environment (else this process's). */
  env?: Record<string, string>;
}

/** Runs `cmd` under GNU time; `result` resolves once it has exited. */
function timed(
  cmd: string[],
  options: RunOptions,
): { child: Deno.ChildProcess; result: Promise<Measurement> } {
  const timeFile = Deno.makeTempFileSync({ prefix: "sluice_bench_time_" });
  const child = new Deno.Command("/usr/bin/time", {
    args: ["-f", "%e %U %S %M", "-o", timeFile, ...cmd],
    stdin: options.stdinFile ? "piped" : "null",
    stdout: "null",
    stderr: "piped",
    env: options.env,
  }).spawn();
  const result = (async () => {
    if (options.stdinFile) {
      const file = await Deno.open(options.stdinFile);
      await file.readable.pipeTo(child.stdin);
    }
    const out = await child.output();
    const { wall, user, sys, rssKb } = await readTimeFile(timeFile);
    await Deno.remove(timeFile);
    return {
      wall,
      cpu: user + sys,
      peakRssMb: rssKb / 1024,
      code: out.code,
      stderr: new TextDecoder().decode(out.stderr),
    };
  })();
  return { child, result };
}

/** Runs `cmd` (stdin from `stdinFile` when given) until it exits and measures it. */
export function measure(cmd: string[], options: RunOptions = {}): Promise<Measurement> {
  return timed(cmd, options).result;
}

/** A long-running command (a server) under GNU time. */
export interface MeasuredProcess {
  /** Sends SIGTERM to the command (GNU time passes on its status) and measures the whole run. */
  stop(): Promise<Measurement>;
  /** The measured command's pid (GNU time's child); 0 when it is gone. */
  pid(): Promise<number>;
}

/**
 * A process's main thread from `/proc/PID/schedstat`: seconds on a CPU and seconds
 * runnable but waiting for one (zeros when unreadable). The difference of two readings
 * tells a thread that waits for work (neither grows) from one starved of a CPU on a busy
 * machine, which a V8 profile shows as whatever function it was in.
 */
export async function mainThreadTimes(pid: number): Promise<{ ran: number; waited: number }> {
  const text = await Deno.readTextFile(`/proc/${pid}/schedstat`).catch(() => "0 0");
  const [ran = 0, waited = 0] = text.trim().split(" ").map(Number);
  return { ran: ran / 1e9, waited: waited / 1e9 };
}

/** Starts `cmd` under GNU time and leaves it running until {@link MeasuredProcess.stop}. */
export function startMeasured(cmd: string[], options: RunOptions = {}): MeasuredProcess {
  const { child, result } = timed(cmd, options);
  const pid = async () => {
    const children = await Deno.readTextFile(`/proc/${child.pid}/task/${child.pid}/children`)
      .catch(() => "");
    return Number(children.trim().split(" ")[0]) || 0;
  };
  return {
    async stop() {
      const p = await pid();
      if (p > 0) Deno.kill(p, "SIGTERM");
      return await result;
    },
    pid,
  };
}

/**
 * sluice as a command line, `deno run --allow-all ENTRY` with `BENCH_V8_FLAGS` passed on:
 * ENTRY is the bundle when `deno task bundle` builds it (it starts without resolving the
 * module graph, as the compiled binary would), else main.ts. `BENCH_CPU_PROF=DIR` adds
 * `--cpu-prof` into DIR (summarise with `tools/cpu_profile_summary.ts`).
 */
export async function sluiceCommand(): Promise<{ entry: string; cmd: string[] }> {
  const prof = Deno.env.get("BENCH_CPU_PROF"); // a directory: V8 CPU profiles of each run
  // Profiled runs use an unminified bundle, so the profile names the functions.
  const bundle = ["bundle", "--platform", "deno", "-o", "dist/sluice.js", "main.ts"];
  const built = await new Deno.Command(Deno.execPath(), {
    args: prof ? bundle : ["task", "bundle"],
    cwd: root,
    stdout: "null",
    stderr: "null",
  }).output();
  const entry = built.success ? `${root}dist/sluice.js` : `${root}main.ts`;
  const v8 = Deno.env.get("BENCH_V8_FLAGS");
  return {
    entry: entry.replace(root, ""),
    cmd: [
      Deno.execPath(),
      "run",
      "--allow-all",
      ...(v8 ? [`--v8-flags=${v8}`] : []),
      ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []),
      entry,
    ],
  };
}

/** The 1-minute load average, printed beside each figure: other work on the machine colours it. */
export function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ")[0] ?? "?";
  } catch {
    return "?";
  }
}

/** A result line: `name  records/s  CPU-s  peak RSS`. */
export function report(name: string, records: number, m: Measurement): string {
  const rate = records / m.wall;
  return `${name.padEnd(28)} ${Math.round(rate).toLocaleString("en-US").padStart(12)} records/s  ` +
    `${m.cpu.toFixed(2).padStart(6)} CPU-s  ${m.peakRssMb.toFixed(1).padStart(7)} MB peak RSS  ` +
    `(${m.wall.toFixed(2)} s wall)`;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Starts `deno run --allow-net bench/<script> <port>` (a sink of its own process, which
 * prints a line once it listens) and resolves once it has printed it.
 */
export async function startSink(script: string, port: number): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-net", `${root}bench/${script}`, String(port)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read(); // "ready"
  reader.releaseLock();
  return child;
}

/** Resolves once an HTTP server answers on `port` (any status), within 30 s. */
export async function waitListening(port: number, path = "/"): Promise<void> {
  await until(
    async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        await res.body?.cancel();
        return true;
      } catch {
        return false;
      }
    },
    `an HTTP server on port ${port}`,
    { timeout: 30_000, interval: 20 },
  );
}

/** What {@link writeNullConfig} puts in its config. */
export interface NullConfigOptions {
  /** The monitoring API port (`http_server` on 127.0.0.1). */
  httpPort: number;
  /** The `inputs:` list entry (YAML lines indented four spaces). */
  input: string;
  /** More keys of the `service` section. */
  service?: readonly string[];
}

/** Writes to `path` a benchmark config: flush 0.2 s, warnings only, one input → null. */
export async function writeNullConfig(path: string, options: NullConfigOptions): Promise<void> {
  const more = (options.service ?? []).map((k) => `  ${k}\n`).join("");
  await Deno.writeTextFile(
    path,
    `
service:
  flush: 0.2
  log_level: warn
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${options.httpPort}
${more}pipeline:
  inputs:
${options.input}  outputs:
    - name: "null"
      match: "*"
`,
  );
}

/** Fluent Bit's command line: binary `bin`, flush 0.2 s, monitoring API on `httpPort`, `input` → null. */
export function fluentBitNull(bin: string, httpPort: number, input: readonly string[]): string[] {
  return [
    bin,
    "-q",
    "-f",
    "0.2",
    "-H",
    "-L",
    "127.0.0.1",
    "-P",
    String(httpPort),
    ...input,
    "-o",
    "null",
    "-m",
    "*",
  ];
}

/** User + system CPU seconds of process `pid` so far (from /proc). */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
}

/** Resident set (VmRSS), its anonymous part (RssAnon) and peak (VmHWM) of `pid`, in MB. */
export async function processMemoryMb(
  pid: number,
): Promise<{ rss: number; anon: number; hwm: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS") / 1024, anon: kb("RssAnon") / 1024, hwm: kb("VmHWM") / 1024 };
}

/** Peak resident set (VmHWM) of process `pid` in MB. */
export async function processPeakRssMb(pid: number): Promise<number> {
  return (await processMemoryMb(pid)).hwm;
}
