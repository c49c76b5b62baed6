/**
 * The Fluent Bit 4.2.8 peer for interop tests and side-by-side benchmarks:
 * `$FLUENT_BIT`, or `../shared/peers/fluent-bit-4.2.8/run` from the repository root (the
 * wrapper installs missing runtime libraries, then execs the binary beside it).
 */

const root = new URL("../../", import.meta.url).pathname;

/** The peer's command, or null when it is absent or does not run (callers skip with a message). */
export async function fluentBitPath(): Promise<string | null> {
  const path = Deno.env.get("FLUENT_BIT") ?? `${root}../shared/peers/fluent-bit-4.2.8/run`;
  try {
    if (!(await Deno.stat(path)).isFile) return null;
  } catch {
    return null;
  }
  const probe = await new Deno.Command(path, {
    args: ["--version"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => null);
  return probe?.success ? path : null;
}

/** The message a test prints when it skips for want of the peer. */
export const NO_PEER = "skipped: Fluent Bit 4.2.8 peer not found (set FLUENT_BIT or provide " +
  "../shared/peers/fluent-bit-4.2.8/run)";

/** A running Fluent Bit whose stdout is collected as text. */
export interface FluentBitProcess {
  child: Deno.ChildProcess;
  /** Everything it printed to stdout so far. */
  stdout(): string;
  /** Everything it printed to stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with its exit status. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
}

/** Starts `bin ARGS` with stdin piped when `stdin` is set, and `env` added to the environment. */
export function spawnFluentBit(
  bin: string,
  args: string[],
  options: { stdin?: boolean; env?: Record<string, string> } = {},
): FluentBitProcess {
  const child = new Deno.Command(bin, {
    args,
    env: options.env,
    stdin: options.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  const dec = new TextDecoder();
  const pump = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    for await (const piece of s) add(dec.decode(piece, { stream: true }));
  };
  const pumps = Promise.all([
    pump(child.stdout, (t) => (out += t)),
    pump(child.stderr, (t) => (err += t)),
  ]);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async stop(graceMs = 5000) {
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
      }, graceMs);
      const status = await child.status;
      clearTimeout(timer);
      await pumps.catch(() => {});
      return status;
    },
  };
}

/**
 * Fluent Bit command-line arguments for one plugin: `flag name` then `-p key=value` for
 * each property, in order (`flag` is `-i` for an input, `-F` a filter, `-o` an output).
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * assertEquals(fluentBitPlugin("-i", "tcp", { port: 5170 }), ["-i", "tcp", "-p", "port=5170"]);
 * ```
 */
export function fluentBitPlugin(
  flag: "-i" | "-F" | "-o",
  name: string,
  properties: Record<string, string | number> = {},
): string[] {
  return [flag, name, ...Object.entries(properties).flatMap(([k, v]) => ["-p", `${k}=${v}`])];
}
