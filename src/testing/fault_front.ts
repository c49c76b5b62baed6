/**
 * A TCP front for fault tests, on 127.0.0.1: the first `faults` connections meet a
 * failure, later ones are piped to a real backend (an {@link HttpReceiver}, a TLS
 * server). Failures: `cut` reads part of the request then closes (a peer that
 * disappears mid-write), `stall` reads and never answers, `tls_alert` answers the TLS
 * ClientHello with a fatal `bad_certificate` alert.
 *
 * @example
 * ```ts
 * import { assertEquals, assertRejects } from "./assert.ts";
 * import { HttpReceiver } from "./http_receiver.ts";
 *
 * const rx = await HttpReceiver.start();
 * const front = FaultFront.start({ backendPort: rx.port, fault: "cut", faults: 1, cutAfter: 16 });
 * const post = () =>
 *   fetch(`http://127.0.0.1:${front.port}/`, { method: "POST", body: '[{"n":1}]' });
 * await assertRejects(post); // the first connection is cut mid-request
 * const answer = await post(); // the next one reaches the receiver
 * await answer.body?.cancel();
 * assertEquals([answer.status, front.faulted, front.passed], [200, 1, 1]);
 * front.close();
 * await rx.stop();
 * ```
 */

/** What a faulty connection does. */
export type Fault = "cut" | "stall" | "tls_alert";

/** Options of {@link FaultFront.start}. */
export interface FaultFrontOptions {
  backendPort: number;
  fault: Fault;
  /** How many connections fail before the front passes connections on. */
  faults: number;
  /** With `cut`: bytes read before closing (default 512). */
  cutAfter?: number;
}

/** A TLS fatal alert record: level 2 (fatal), description 42 (bad_certificate). */
const BAD_CERTIFICATE_ALERT = new Uint8Array([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x2a]);

/** The running front. */
export class FaultFront {
  /** Connections that met the fault. */
  faulted = 0;
  /** Connections passed to the backend. */
  passed = 0;
  #listener: Deno.Listener;
  #conns = new Set<Deno.Conn>();
  #options: FaultFrontOptions;

  private constructor(listener: Deno.Listener, options: FaultFrontOptions) {
    this.#listener = listener;
    this.#options = options;
    this.#accept();
  }

  /** Starts listening on a free port. */
  static start(options: FaultFrontOptions): FaultFront {
    return new FaultFront(Deno.listen({ hostname: "127.0.0.1", port: 0 }), options);
  }

  /** The port to connect to. */
  get port(): number {
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        this.#conns.add(conn);
        const faulty = this.faulted < this.#options.faults;
        if (faulty) this.faulted++;
        else this.passed++;
        (faulty ? this.#fault(conn) : this.#pass(conn))
          .catch(() => {})
          .finally(() => this.#drop(conn));
      }
    } catch {
      // closed
    }
  }

  #drop(conn: Deno.Conn): void {
    if (!this.#conns.delete(conn)) return;
    try {
      conn.close();
    } catch {
      // already closed
    }
  }

  async #fault(conn: Deno.Conn): Promise<void> {
    const buf = new Uint8Array(64 * 1024);
    const o = this.#options;
    if (o.fault === "tls_alert") {
      await conn.read(buf); // the ClientHello
      await conn.write(BAD_CERTIFICATE_ALERT);
      return;
    }
    if (o.fault === "cut") {
      let got = 0;
      const limit = o.cutAfter ?? 512;
      while (got < limit) {
        const n = await conn.read(buf.subarray(0, Math.min(buf.length, limit - got)));
        if (n === null) return;
        got += n;
      }
      return; // closed by #drop with the rest of the request unread
    }
    while ((await conn.read(buf)) !== null) {
      // stall: read everything, answer nothing, until the client gives up
    }
  }

  async #pass(conn: Deno.Conn): Promise<void> {
    const up = await Deno.connect({ hostname: "127.0.0.1", port: this.#options.backendPort });
    this.#conns.add(up);
    try {
      await Promise.all([
        conn.readable.pipeTo(up.writable).catch(() => {}),
        up.readable.pipeTo(conn.writable).catch(() => {}),
      ]);
    } finally {
      this.#drop(up);
    }
  }

  /** Stops listening and closes every connection. */
  close(): void {
    try {
      this.#listener.close();
    } catch {
      // already closed
    }
    for (const conn of [...this.#conns]) this.#drop(conn);
  }
}
