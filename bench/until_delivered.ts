/**
 * Output benchmarks, side by side: a collector command runs under GNU time until its
 * destination holds every record (polled), then it is stopped; the rate is records over
 * the seconds from start to the last record delivered, CPU and peak RSS are the whole
 * run's. sluice and Fluent Bit are measured the same way, on the same file and
 * destination, so the ratio compares like with like.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { loadAverage, type Measurement, startMeasured } from "./measure.ts";

/** One side's figures. */
export interface DeliveredRun {
  name: string;
  /** Records at the destination when it was stopped. */
  delivered: number;
  /** Seconds from start until `expected` records had arrived (or the deadline). */
  seconds: number;
  m: Measurement;
}

/** Runs `cmd` until `count()` reaches `expected` (or `timeoutMs`), then stops it. */
export async function runUntilDelivered(
  name: string,
  cmd: string[],
  options: { count: () => Promise<number>; expected: number; timeoutMs?: number; pollMs?: number },
): Promise<DeliveredRun> {
  const started = performance.now();
  const proc = startMeasured(cmd);
  const deadline = started + (options.timeoutMs ?? 600_000);
  let delivered = 0;
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
    delivered = await options.count().catch(() => delivered);
    if (delivered >= options.expected) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const m = await proc.stop();
  return { name, delivered, seconds, m };
}

/** A result line, with the load average. */
export function deliveredLine(r: DeliveredRun): string {
  const rate = Math.round(r.delivered / r.seconds).toLocaleString("en-US");
  return `${r.name.padEnd(34)} ${rate.padStart(10)} lines/s  ${
    r.m.cpu.toFixed(2).padStart(6)
  } CPU-s  ` +
    `${r.m.peakRssMb.toFixed(1).padStart(7)} MB peak RSS  (${r.seconds.toFixed(2)} s, ` +
    `${r.delivered.toLocaleString("en-US")} delivered, load ${loadAverage()})`;
}

/** The ratio line: sluice's rate over Fluent Bit's, and the CPU and memory ratios. */
export function ratioLine(ours: DeliveredRun, theirs: DeliveredRun): string {
  const rate = (r: DeliveredRun) => r.delivered / r.seconds;
  return `ratio sluice / Fluent Bit: ${(rate(ours) / rate(theirs)).toFixed(2)}x lines/s, ` +
    `${(ours.m.cpu / theirs.m.cpu).toFixed(2)}x CPU-s, ` +
    `${(ours.m.peakRssMb / theirs.m.peakRssMb).toFixed(2)}x peak RSS ` +
    "(2 shared cores: other work on the machine colours every figure)";
}

/**
 * A YAML config tailing `input` from its head into `output`, the text of one outputs item
 * (indented by four spaces), flushing every 0.2 s.
 */
export function tailBenchConfig(input: string, output: string): string {
  return `service:
  flush: 0.2
  log_level: warn
pipeline:
  inputs:
    - name: tail
      path: ${input}
      read_from_head: true
      refresh_interval: 1
  outputs:
${output}`;
}

/** What {@link sideBySide} needs of one side. */
export interface Side {
  /** `sluice` or `Fluent Bit 4.2.8`. */
  name: string;
  /** The command line for the config at `path`. */
  cmd(path: string): string[];
}

/**
 * Runs one side: writes `yaml` to `path`, runs the side's command until `count()` reaches
 * `expected`, prints its figures (and a warning when records are missing).
 */
export async function runSide(
  side: Side,
  label: string,
  path: string,
  yaml: string,
  options: { count: () => Promise<number>; expected: number; pollMs?: number },
): Promise<DeliveredRun> {
  await Deno.writeTextFile(path, yaml);
  const r = await runUntilDelivered(`${label} (${side.name})`, side.cmd(path), options);
  console.log(deliveredLine(r));
  if (r.delivered !== options.expected) {
    console.log(`!! ${side.name} delivered ${r.delivered} of ${options.expected}`);
  }
  return r;
}

/**
 * Runs `run` for sluice (the command line `sluice`, from `sluiceCommand`), then for Fluent
 * Bit 4.2.8 when the peer is present, and prints the ratio (or that the peer is absent).
 */
export async function sideBySide(
  sluice: readonly string[],
  run: (side: Side) => Promise<DeliveredRun>,
): Promise<void> {
  const ours = await run({ name: "sluice", cmd: (path) => [...sluice, "-c", path] });
  const bin = await fluentBitPath();
  if (!bin) {
    console.log("Fluent Bit 4.2.8 peer not found: sluice's figures only");
    return;
  }
  const theirs = await run({ name: "Fluent Bit 4.2.8", cmd: (path) => [bin, "-c", path] });
  console.log(ratioLine(ours, theirs));
}
