/**
 * A UDP sender for outputs: one socket, opened on the first send, one datagram per call.
 * A send the kernel refuses surfaces as RetryableError; a datagram that is lost on the way
 * cannot be known (UDP has no acknowledgement).
 */
import dgram from "node:dgram";
import { RetryableError } from "../../engine/errors.ts";

/** Largest payload of one UDP datagram over IPv4. */
export const MAX_UDP_PAYLOAD = 65_507;

/** Sends datagrams to one host and port. */
export class UdpSender {
  /** Host name or IP address datagrams go to. */
  readonly host: string;
  /** Port datagrams go to. */
  readonly port: number;
  #socket: dgram.Socket | null = null;

  /** A sender to `host`:`port`; the socket opens on the first send. */
  constructor(host: string, port: number) {
    this.host = host;
    this.port = port;
  }

  /**
   * Sends `data` as one datagram; resolves once the kernel took it.
   *
   * @example
   * ```ts
   * const udp = new UdpSender("127.0.0.1", 5170);
   * await udp.send(new TextEncoder().encode('{"a":1}\n'));
   * ```
   */
  send(data: Uint8Array): Promise<void> {
    const socket = this.#socket ??= dgram.createSocket(this.host.includes(":") ? "udp6" : "udp4");
    return new Promise((resolve, reject) => {
      socket.send(data, this.port, this.host, (e) => {
        if (!e) return resolve();
        this.close();
        reject(
          new RetryableError(`Cannot send to udp://${this.host}:${this.port}: ${e.message}`, {
            cause: e,
          }),
        );
      });
    });
  }

  /** Closes the socket, if open. */
  close(): void {
    try {
      this.#socket?.close();
    } catch {
      // already closed
    }
    this.#socket = null;
  }
}
