/**
 * Helpers for output tests that run the sluice CLI and the Fluent Bit peer on the same
 * YAML config: write it, run it until it ends (or until a condition), collect its log.
 */
import { listDeadLetters, readDeadLetter } from "../src/engine/storage/dead_letter.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import { fluentBitPath, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { spawnSluice, waitFor } from "./_helpers.ts";

/** A CLI run in the background. */
export interface CliRun {
  /** Everything printed to stdout and stderr so far. */
  log(): string;
  /** Resolves with the exit code. */
  done: Promise<number>;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number>;
  /** SIGKILL at once, as a crash would, and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts `sluice -c <dir>/<name>` with `yaml` (`${DIR}` replaced) written there, `env`
 * added to its environment.
 */
export async function startSluice(
  dir: string,
  yaml: string,
  name = "sluice.yaml",
  env: Record<string, string> = {},
): Promise<CliRun> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, yaml.replaceAll("${DIR}", dir));
  const child = spawnSluice(["-c", path], { env });
  let out = "";
  const dec = new TextDecoder();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const piece of s) out += dec.decode(piece, { stream: true });
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const done = child.status.then(async (s) => {
    await pumps;
    return s.code;
  });
  return {
    log: () => out,
    done,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // exited
        }
      }, 20_000);
      const code = await done;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      try {
        child.kill("SIGKILL");
      } catch {
        // exited
      }
      await done;
    },
  };
}

/** Runs sluice on `yaml` until it exits by itself (killed after `timeoutMs`). */
export async function runSluiceConfig(
  dir: string,
  yaml: string,
  timeoutMs = 60_000,
): Promise<{ code: number; log: string }> {
  const run = await startSluice(dir, yaml);
  const timer = setTimeout(() => run.stop(), timeoutMs);
  const code = await run.done;
  clearTimeout(timer);
  return { code, log: run.log() };
}

/**
 * Runs Fluent Bit on `yaml` until `ready()` holds, then stops it; null when the peer is
 * absent (the caller skips with a message).
 */
export async function runFluentBitUntil(
  dir: string,
  yaml: string,
  ready: () => boolean,
  timeoutMs = 30_000,
): Promise<string | null> {
  const bin = await fluentBitPath();
  if (!bin) return null;
  const path = `${dir}/fluent-bit.yaml`;
  await Deno.writeTextFile(path, yaml.replaceAll("${DIR}", dir));
  const fb = spawnFluentBit(bin, ["-c", path]);
  try {
    await waitFor(ready, { timeoutMs, what: "Fluent Bit's requests" });
  } catch (e) {
    await fb.stop();
    throw new Error(`${e}\n${fb.stdout()}${fb.stderr()}`);
  }
  await fb.stop();
  return fb.stdout() + fb.stderr();
}

/** The integers `from..to-1`. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** One dead-lettered record: its body and the letter's reason and status. */
export interface DeadRecord {
  body: Record<string, unknown>;
  reason: string;
  status: number;
}

/** Every record in the dead-letter store under `<dir>/store/rejected`, by `body.id`. */
export async function deadLetterRecords(dir: string): Promise<DeadRecord[]> {
  const out: DeadRecord[] = [];
  for (const l of await listDeadLetters(`${dir}/store/rejected`).catch(() => [])) {
    const { records } = await readDeadLetter(l.path);
    for (const r of records as LogRecord[]) {
      out.push({ body: r.body, reason: l.header.reason, status: l.header.status });
    }
  }
  return out.sort((a, b) => Number(a.body.id) - Number(b.body.id));
}

/**
 * Waits until the dead-letter store under `dir` holds exactly `count` records and returns
 * them (by `body.id`).
 */
export async function waitForDeadLetters(
  dir: string,
  count: number,
  timeoutMs = 15_000,
): Promise<DeadRecord[]> {
  const dlq = await waitFor(async () => {
    const records = await deadLetterRecords(dir);
    return records.length === count ? records : undefined;
  }, { what: `${count} dead letters`, timeoutMs });
  return dlq!; // waitFor resolves only on a truthy value
}

/**
 * The sum of a metric family's series on the monitoring server at `port`; with `having`,
 * of the series whose line holds it (a label, e.g. `name="tail.0"`).
 */
export async function promMetric(port: number, family: string, having = ""): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`);
  let sum = 0;
  for (const line of (await res.text()).split("\n")) {
    if (!line.includes(having)) continue;
    if (line.startsWith(`${family}{`) || line.startsWith(`${family} `)) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

/**
 * A YAML config of one dummy input (tag `app.web`, the JSON text `dummy` sent `samples`
 * times, its timestamp fixed at 1700000000.5) and `outputs`, the text of the outputs list
 * (items indented by four spaces), flushing every 0.2 s.
 */
export function dummyOutputsConfig(dummy: string, outputs: string, samples = 1): string {
  return `service:
  flush: 0.2
  grace: 2
  log_level: info
pipeline:
  inputs:
    - name: dummy
      tag: app.web
      dummy: '${dummy}'
      samples: ${samples}
      fixed_timestamp: on
      start_time_sec: 1700000000
      start_time_nsec: 500000000
  outputs:
${outputs}`;
}

/**
 * A YAML config tailing `${DIR}/in.log` (JSON lines, tag `app`) into `outputs`, the text
 * of the outputs list (items indented by four spaces): quick retries, rejected chunks kept
 * in the dead-letter store under `${DIR}/store`, and the monitoring server on
 * `metricsPort` when given.
 */
export function tailJsonConfig(outputs: string, metricsPort?: number): string {
  const monitoring = metricsPort
    ? `  http_server: on\n  http_listen: 127.0.0.1\n  http_port: ${metricsPort}\n`
    : "";
  return `service:
  flush: 0.2
  grace: 5
  log_level: info
  scheduler.base: 0.2
  scheduler.cap: 1
  storage.path: \${DIR}/store
  storage.keep.rejected: on
${monitoring}pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      tag: app
      read_from_head: on
      parser: json
  outputs:
${outputs}`;
}
