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
  const [wall, user, sys, rssKb] = (await Deno.readTextFile(timeFile)).trim().split("\n").pop()!
    .split(" ").map(Number);
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
