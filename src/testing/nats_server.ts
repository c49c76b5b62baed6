/**
 * A real nats-server for tests, with JetStream on and its store in a private temp dir,
 * listening on 127.0.0.1 on a free port. It can be stopped (SIGTERM or SIGKILL) and started
 * again on the same port and store, for outages and restarts mid-stream.
 *
 * @example
 * ```ts
 * import { assert } from "./assert.ts";
 *
 * const nats = await NatsServer.start();
 * if (nats) {
 *   assert(nats.port > 0);
 *   await nats.stop();
 * }
 * ```
 */

/** What a test prints when it skips for want of nats-server. */
export const NO_NATS = "skipped: nats-server not found (apt-get install nats-server)";

/** The nats-server binary: `$NATS_SERVER`, else `nats-server` on the PATH; null if none. */
export async function natsServerBin(): Promise<string | null> {
  const bin = Deno.env.get("NATS_SERVER") ?? "nats-server";
  try {
    const out = await new Deno.Command(bin, { args: ["--version"], stdout: "null", stderr: "null" })
      .output();
    return out.success ? bin : null;
  } catch {
    return null;
  }
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A running (or stopped) private nats-server with JetStream. */
export class NatsServer {
  /** The client port on 127.0.0.1. */
  readonly port: number;
  /** The JetStream store directory. */
  readonly dir: string;
  #bin: string;
  #child: Deno.ChildProcess | undefined;
  #log: string[] = [];
  #config: string | undefined;

  private constructor(bin: string, dir: string, port: number) {
    this.#bin = bin;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts a server on a free port; null when nats-server is not installed. `maxPayload`
   * raises the server's max_payload (1 MB by default) through a config file.
   */
  static async start(options: { maxPayload?: number } = {}): Promise<NatsServer | null> {
    const bin = await natsServerBin();
    if (!bin) return null;
    const server = new NatsServer(
      bin,
      await Deno.makeTempDir({ prefix: "sluice-nats-" }),
      freePort(),
    );
    if (options.maxPayload) {
      server.#config = `${server.dir}/nats.conf`;
      await Deno.writeTextFile(server.#config, `max_payload: ${options.maxPayload}\n`);
    }
    await server.up();
    return server;
  }

  /** `nats://127.0.0.1:PORT`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** What the server printed, for a failed test's message. */
  get log(): string {
    return this.#log.join("");
  }

  /** Starts the server (again) and waits until it accepts connections. */
  async up(): Promise<void> {
    if (this.#child) return;
    const child = new Deno.Command(this.#bin, {
      args: [
        ...(this.#config ? ["-c", this.#config] : []),
        "-js",
        "-sd",
        this.dir,
        "-a",
        "127.0.0.1",
        "-p",
        String(this.port),
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    const pump = async (s: ReadableStream<Uint8Array>) => {
      for await (const b of s.pipeThrough(new TextDecoderStream())) {
        this.#log.push(b);
        if (this.#log.length > 200) this.#log.shift();
      }
    };
    pump(child.stdout).catch(() => {});
    pump(child.stderr).catch(() => {});
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const c = await Deno.connect({ hostname: "127.0.0.1", port: this.port });
        c.close();
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`nats-server did not start: ${this.log}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    // JetStream answers a moment after the port opens.
    while (!this.log.includes("Server is ready")) {
      if (Date.now() > deadline) throw new Error(`nats-server not ready: ${this.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    this.#log = [this.log.replaceAll("Server is ready", "server was ready")];
  }

  /** Stops the server (SIGTERM by default, SIGKILL for a crash); the store stays. */
  async down(signal: Deno.Signal = "SIGTERM"): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = undefined;
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
    await child.status;
  }

  /** Stops the server and removes its store. */
  async stop(): Promise<void> {
    await this.down();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}
