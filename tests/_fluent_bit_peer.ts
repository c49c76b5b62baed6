/**
 * The Fluent Bit 4.2.8 peer for the forward interop tests: its path (or null, so tests skip
 * with a message when ../shared is absent), and a process whose stdout is collected.
 */
const root = new URL("../", import.meta.url).pathname;

/** The peer's binary, or null when it is not installed. */
export function fluentBitBinary(): string | null {
  const path = Deno.env.get("FLUENT_BIT") ?? `${root}../shared/peers/fluent-bit-4.2.8/fluent-bit`;
  try {
    return Deno.statSync(path).isFile ? path : null;
  } catch {
    return null;
  }
}

/** The message a test prints when it skips for want of the peer. */
export const NO_PEER =
  "skipped: Fluent Bit 4.2.8 peer not found at ../shared/peers (set FLUENT_BIT)";

/** A running Fluent Bit with its output collected. */
export interface PeerProcess {
  /** stdout so far. */
  stdout(): string;
  /** stderr so far. */
  stderr(): string;
  /** SIGTERM, SIGKILL after 5 s; resolves when it exited and its pipes are drained. */
  stop(): Promise<void>;
}

/** Starts Fluent Bit with `args`. */
export function startFluentBit(bin: string, args: string[]): PeerProcess {
  const child = new Deno.Command(bin, { args, stdout: "piped", stderr: "piped", stdin: "null" })
    .spawn();
  let out = "";
  let err = "";
  const pump = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
    const dec = new TextDecoder();
    for await (const piece of s) add(dec.decode(piece, { stream: true }));
  };
  const pumps = Promise.all([
    pump(child.stdout, (t) => (out += t)),
    pump(child.stderr, (t) => (err += t)),
  ]);
  return {
    stdout: () => out,
    stderr: () => err,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // exited
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // exited
        }
      }, 5000);
      await child.status;
      clearTimeout(timer);
      await pumps.catch(() => {});
    },
  };
}
