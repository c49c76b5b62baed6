/**
 * Helpers for the systemd input tests: real journal files written from export-format text
 * by systemd-journal-remote (apt package systemd-journal-remote), and a sluice CLI run
 * that the test stops with SIGTERM once its records came.
 */
import { spawnSluice, waitFor } from "./_helpers.ts";

/** systemd-journal-remote, which turns export-format text into journal files. */
export const JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote";

/** A journal entry to write: its realtime (µs) and fields in order (bytes for binary ones). */
export interface TestEntry {
  realtime: number;
  /** The boot ID (32 hex digits); one fixed ID when omitted. */
  boot?: string;
  fields: readonly (readonly [string, string | Uint8Array])[];
}

const enc = new TextEncoder();

/** The export-format bytes of `entries` (monotonic times follow the realtimes). */
export function exportBytes(entries: readonly TestEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(enc.encode(
      `__REALTIME_TIMESTAMP=${e.realtime}\n__MONOTONIC_TIMESTAMP=${e.realtime - 1e15}\n` +
        `_BOOT_ID=${e.boot ?? "0123456789abcdef0123456789abcdef"}\n`,
    ));
    for (const [name, value] of e.fields) {
      if (typeof value === "string") {
        parts.push(enc.encode(`${name}=${value}\n`));
        continue;
      }
      const len = new Uint8Array(8);
      new DataView(len.buffer).setBigUint64(0, BigInt(value.length), true);
      parts.push(enc.encode(`${name}\n`), len, value, enc.encode("\n"));
    }
    parts.push(enc.encode("\n"));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Appends export-format `data` to the journal file `file` (created when missing). */
export async function appendJournal(file: string, data: Uint8Array | string): Promise<void> {
  const child = new Deno.Command(JOURNAL_REMOTE, {
    args: ["-o", file, "-"],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(typeof data === "string" ? enc.encode(data) : data);
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(`systemd-journal-remote failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** `n` numbered entries from `from`, units cycling over `units`, one µs apart. */
export function numberedEntries(
  from: number,
  n: number,
  units: readonly string[] = ["a.service", "b.service"],
): TestEntry[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      realtime: 1_700_000_000_000_000 + i,
      fields: [
        ["MESSAGE", `entry ${i}`],
        ["PRIORITY", String(i % 8)],
        ["_PID", String(100 + (i % 5))],
        ["_SYSTEMD_UNIT", units[i % units.length]!],
      ],
    };
  });
}

/** A running sluice CLI, its stdout and stderr collected as they come. */
export interface SluiceRun {
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number>;
}

/** Starts `sluice -c config`. */
export function startSluice(config: string): SluiceRun {
  const child = spawnSluice(["-c", config]);
  let out = "";
  let err = "";
  const collect = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    for await (const t of s.pipeThrough(new TextDecoderStream())) add(t);
  };
  const reading = Promise.all([
    collect(child.stdout, (t) => (out += t)),
    collect(child.stderr, (t) => (err += t)),
  ]);
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return {
    stdout: () => out,
    stderr: () => err,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // exited
      }
      const status = await child.status;
      clearTimeout(timer);
      await reading;
      return status.code;
    },
  };
}

/** One line of the file output's default format: `tag: [time, {body}]`. */
export interface OutLine {
  tag: string;
  time: number;
  body: Record<string, unknown>;
}

/** The lines of a file output's default-format file (none when it does not exist). */
export async function readOut(path: string): Promise<OutLine[]> {
  let text = "";
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return [];
  }
  return text.split("\n").filter((l) => l).map((l) => {
    const i = l.indexOf(": [");
    const [time, body] = JSON.parse(l.slice(i + 2));
    return { tag: l.slice(0, i), time, body };
  });
}

/** Waits until `path` holds at least `n` lines; returns them. */
export async function waitForLines(
  path: string,
  n: number,
  what?: string,
): Promise<OutLine[]> {
  const lines = await waitFor(async () => {
    const lines = await readOut(path);
    return lines.length >= n ? lines : undefined;
  }, { timeoutMs: 20_000, what: what ?? `${n} lines in ${path}` });
  return lines ?? [];
}
