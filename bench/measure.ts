/**
 * Runs a command under GNU time and reports wall seconds, CPU seconds and peak RSS.
 */

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

/** Runs `cmd` (stdin from `stdinFile` when given) and measures it. */
export async function measure(
  cmd: string[],
  options: { stdinFile?: string; env?: Record<string, string> } = {},
): Promise<Measurement> {
  const timeFile = await Deno.makeTempFile();
  const args = ["-f", "%e %U %S %M", "-o", timeFile, ...cmd];
  const child = new Deno.Command("/usr/bin/time", {
    args,
    stdin: options.stdinFile ? "piped" : "null",
    stdout: "null",
    stderr: "piped",
    env: options.env,
  }).spawn();
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

/** Resolves once an HTTP server answers on `port` (any status), within 30 s. */
export async function waitListening(port: number, path = "/"): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      await res.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error(`nothing listened on ${port}`);
}
