/**
 * A real UDP receiver for tests, on 127.0.0.1: keeps every datagram it is sent, in order.
 *
 * @example
 * ```ts
 * import { UdpSender } from "../net/datagram/sender.ts";
 * import { until } from "./until.ts";
 *
 * const rx = await UdpReceiver.start();
 * const sender = new UdpSender("127.0.0.1", rx.port);
 * await sender.send(new TextEncoder().encode("one"));
 * await until(() => rx.texts().includes("one"), "the datagram to arrive");
 * sender.close();
 * await rx.stop();
 * ```
 */
import dgram from "node:dgram";

/** A UDP socket that records the datagrams it receives. */
export class UdpReceiver {
  /** The port it is bound to. */
  readonly port: number;
  /** The datagrams received, in arrival order. */
  readonly datagrams: Uint8Array[] = [];
  #socket: dgram.Socket;

  private constructor(socket: dgram.Socket) {
    this.#socket = socket;
    this.port = socket.address().port;
    socket.on("message", (m: Uint8Array) => this.datagrams.push(new Uint8Array(m)));
  }

  /** Binds a receiver on 127.0.0.1:`port` (0 picks a free one). */
  static start(port = 0): Promise<UdpReceiver> {
    const socket = dgram.createSocket("udp4");
    return new Promise((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(port, "127.0.0.1", () => {
        socket.off("error", reject);
        resolve(new UdpReceiver(socket));
      });
    });
  }

  /** The datagrams as text. */
  texts(): string[] {
    const dec = new TextDecoder();
    return this.datagrams.map((d) => dec.decode(d));
  }

  /** Lets the process exit while the receiver is still bound. */
  unref(): void {
    this.#socket.unref();
  }

  /** Closes the socket. */
  stop(): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve(); // already closed
      }
    });
  }
}
