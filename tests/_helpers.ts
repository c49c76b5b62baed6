/**
 * Helpers for end-to-end tests: run the sluice CLI as a user would, in a
 * subprocess, with a deadline, and poll for conditions instead of sleeping.
 */
import { errorMessage } from "../src/error_message.ts";
import { until } from "../src/testing/until.ts";

const root = new URL("..", import.meta.url).pathname;

/** The repository root (ends with `/`). */
export const ROOT: string = root;

/** What a finished CLI run gave back. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `sluice ARGS` to completion (killed after `timeoutMs`). */
export async function runSluice(
  args: string[],
  options: {
    stdin?: string | Uint8Array;
    timeoutMs?: number;
    cwd?: string;
    env?: Record<string, string>;
  } = {},
): Promise<CliResult> {
  const child = spawnSluice(args, { ...options, stdin: options.stdin !== undefined });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  try {
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      const data = typeof options.stdin === "string"
        ? new TextEncoder().encode(options.stdin)
        : options.stdin;
      await writer.write(data).catch(() => {});
      await writer.close().catch(() => {});
    }
    const out = await child.output();
    const dec = new TextDecoder();
    return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `sluice ARGS` and returns the child (stdout and stderr piped). */
export function spawnSluice(
  args: string[],
  options: { stdin?: boolean; cwd?: string; env?: Record<string, string> } = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${root}main.ts`, ...args],
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    cwd: options.cwd,
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws), as
 * {@link until} does, but a check that throws (a server not up yet) is tried again.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  let last: unknown;
  const attempt = async (): Promise<T | undefined> => {
    try {
      return await check();
    } catch (e) {
      last = e;
      return undefined;
    }
  };
  try {
    return (await until(attempt, options.what ?? "condition", {
      timeout: options.timeoutMs ?? 15_000,
      interval: options.intervalMs ?? 50,
    }))!;
  } catch (e) {
    throw last ? new Error(`${errorMessage(e)}: ${last}`) : e;
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** Writes `files` (name to text) into a new temp dir and returns its path. */
export async function tempDirWith(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_test_" });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  return dir;
}
