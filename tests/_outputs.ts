/**
 * Helpers for output tests that run the sluice CLI and the Fluent Bit peer on the same
 * YAML config: write it, run it until it ends (or until a condition), collect its log.
 */
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
}

/** Starts `sluice -c <dir>/<name>` with `yaml` (`${DIR}` replaced) written there. */
export async function startSluice(
  dir: string,
  yaml: string,
  name = "sluice.yaml",
): Promise<CliRun> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, yaml.replaceAll("${DIR}", dir));
  const child = spawnSluice(["-c", path]);
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
