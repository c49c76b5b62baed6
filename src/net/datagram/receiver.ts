/**
 * Datagram receivers (UDP, unix datagram sockets) that hand their consumer batches: every
 * datagram that arrived since the last take, each with its peer. A datagram over the limit
 * is dropped and counted (cutting it would only make a broken record); so is any datagram
 * past the queue bound while the consumer does not take. The kernel's own drops (receive
 * buffer full) are read from /proc and exported as a metric.
 *
 * UDP goes through node:dgram, which needs no unstable flag. Unix datagram sockets need
 * Deno.listenDatagram, which Deno 2.9 offers only with `--unstable-net` (deno.json's
 * `"unstable": ["net"]` turns it on for every task and the bundle run from the repository).
 */
import { errorMessage } from "../../error_message.ts";
import dgram from "node:dgram";
import type { PluginLogger as Logger, PluginMetrics } from "../../plugin.ts";
import { peerAddress } from "../stream/peer.ts";
import { kernelDrops } from "./kernel_drops.ts";

/** Where and how a datagram receiver listens. */
export interface DatagramListenOptions {
  /** A UDP port or a unix datagram socket path. */
  transport: "udp" | "unix";
  /** Bind address (udp); defaults to 0.0.0.0 (an IPv6 address binds udp6). */
  hostname?: string;
  /** Port (udp); 0 picks a free one. */
  port?: number;
  /** Socket path (unix); a stale socket file there is replaced. */
  path?: string;
  /** Largest datagram kept, in bytes. */
  maxDatagramBytes: number;
  /** Bytes of datagrams held for the consumer before more are dropped; default 16 MiB. */
  maxQueuedBytes?: number;
  /** Where socket problems are logged. */
  log: Logger;
  /** Metrics labelled with `name`: oversize, queue drops, kernel drops. */
  metrics?: PluginMetrics;
  /** The owning instance's name, for metric labels. */
  name?: string;
  /** How often the kernel drop count is refreshed, in seconds; default 2 (0 never). */
  dropsInterval?: number;
  /** The socket's receive buffer (SO_RCVBUF, udp), in bytes; the OS default when unset. */
  receiveBufferSize?: number;
}

/** One received datagram. */
export interface Datagram {
  /** The datagram's bytes. */
  data: Uint8Array;
  /** `udp://ip:port` or `unix://path`. */
  peer: string;
}

/** Counts a receiver keeps. */
export interface DatagramStats {
  /** Datagrams received. */
  received: number;
  /** Datagrams dropped for being longer than the limit. */
  oversize: number;
  /** Datagrams dropped because the queue for the consumer was full. */
  queueDrops: number;
  /** The kernel's drops for the socket's port, when known. */
  kernelDrops: number | null;
}

interface DatagramConnLike {
  receive(p?: Uint8Array): Promise<[Uint8Array, Deno.Addr]>;
  close(): void;
  readonly addr: Deno.Addr;
}

type ListenDatagram = (o: { transport: "unixpacket"; path: string }) => DatagramConnLike;

/** A bound datagram receiver; iterate it for batches, `close` it to stop. */
export class DatagramReceiver implements AsyncIterable<Datagram[]> {
  /** What the receiver counted so far. */
  readonly stats: DatagramStats = { received: 0, oversize: 0, queueDrops: 0, kernelDrops: null };
  #options: DatagramListenOptions;
  #queue: Datagram[] = [];
  #queuedBytes = 0;
  #wake: (() => void) | null = null;
  #closed = false;
  #close: () => void;
  #addr: Deno.Addr;
  #timer: ReturnType<typeof setInterval> | undefined;

  private constructor(
    options: DatagramListenOptions,
    addr: Deno.Addr,
    close: () => void,
  ) {
    this.#options = options;
    this.#addr = addr;
    this.#close = close;
    const every = options.dropsInterval ?? 2;
    if (options.transport === "udp" && every > 0) {
      this.#timer = setInterval(() => this.refreshKernelDrops(), every * 1000);
      Deno.unrefTimer(this.#timer as unknown as number);
    }
  }

  /**
   * Binds and starts receiving; throws (AddrInUse, or TypeError naming `--unstable-net` for a
   * unix socket without it) when it cannot.
   *
   * @example
   * ```ts
   * import { Logger, memorySink } from "../../engine/log.ts";
   * import { assertEquals } from "../../testing/assert.ts";
   * import { UdpSender } from "./sender.ts";
   *
   * const rx = await DatagramReceiver.listen({
   *   transport: "udp",
   *   hostname: "127.0.0.1",
   *   port: 0,
   *   maxDatagramBytes: 32_768,
   *   log: new Logger({ sink: memorySink() }),
   * });
   * const sender = new UdpSender("127.0.0.1", (rx.addr as Deno.NetAddr).port);
   * await sender.send(new TextEncoder().encode("hello"));
   * for await (const batch of rx) {
   *   assertEquals(new TextDecoder().decode(batch[0]!.data), "hello");
   *   break;
   * }
   * sender.close();
   * await rx.close();
   * ```
   */
  static async listen(options: DatagramListenOptions): Promise<DatagramReceiver> {
    if (options.transport === "unix") return await DatagramReceiver.#unix(options);
    const hostname = options.hostname ?? "0.0.0.0";
    // node:dgram throws a missing net permission from a later tick, out of reach of a catch:
    // ask first (a dry run revokes it), so the caller gets the error.
    const host = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${options.port ?? 0}`;
    if (Deno.permissions.querySync({ name: "net", host }).state !== "granted") {
      throw new Deno.errors.NotCapable(`Requires net access to "${host}"`);
    }
    const socket = dgram.createSocket({
      type: hostname.includes(":") ? "udp6" : "udp4",
      recvBufferSize: options.receiveBufferSize,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.bind(options.port ?? 0, hostname, () => {
        socket.off("error", reject);
        resolve();
      });
    });
    const a = socket.address();
    const addr: Deno.NetAddr = { transport: "udp", hostname: a.address, port: a.port };
    const rx = new DatagramReceiver(options, addr, () => socket.close());
    socket.on("message", (msg, from) => {
      const data = new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
      rx.#offer(data, peerAddress("udp", from.address, from.port));
    });
    socket.on("error", (e) => options.log.warn(`udp socket error: ${e.message}`));
    return rx;
  }

  /** The bound address. */
  get addr(): Deno.Addr {
    return this.#addr;
  }

  /** Reads the kernel's drop count for the bound port and updates the metric. */
  async refreshKernelDrops(): Promise<number | null> {
    if (this.#addr.transport !== "udp") return null;
    const n = await kernelDrops(this.#addr.port);
    if (n === null) return null;
    this.stats.kernelDrops = n;
    const { metrics, name } = this.#options;
    metrics?.gauge(
      "sluice_udp_kernel_drops",
      "Datagrams the kernel dropped on the input's socket (receive buffer full), from /proc/net/udp.",
    ).set({ name: name ?? "" }, n);
    return n;
  }

  /** The datagrams queued since the last pull, as one batch; ends once closed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Datagram[]> {
    while (true) {
      while (this.#queue.length === 0) {
        if (this.#closed) return;
        await new Promise<void>((wake) => (this.#wake = wake));
        this.#wake = null;
      }
      const batch = this.#queue;
      this.#queue = [];
      this.#queuedBytes = 0;
      yield batch;
    }
  }

  /** Stops receiving; datagrams already queued are still handed over. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    clearInterval(this.#timer);
    try {
      this.#close();
    } catch {
      // already closed
    }
    this.#wake?.();
    return Promise.resolve();
  }

  #count(key: "oversize" | "queueDrops", metric: string, help: string): void {
    this.stats[key]++;
    this.#options.metrics?.counter(metric, help).inc({ name: this.#options.name ?? "" });
  }

  #offer(data: Uint8Array, peer: string): void {
    if (this.#closed) return;
    const { log } = this.#options;
    if (data.length > this.#options.maxDatagramBytes) {
      this.#count(
        "oversize",
        "sluice_net_datagrams_oversize_total",
        "Datagrams dropped because they were longer than the limit.",
      );
      log.once(
        "warn",
        "net-datagram-oversize",
        `a ${data.length}-byte datagram from ${peer} exceeds the limit of ` +
          `${this.#options.maxDatagramBytes} bytes and was dropped (further ones are counted)`,
      );
      return;
    }
    if (this.#queuedBytes + data.length > (this.#options.maxQueuedBytes ?? 16 << 20)) {
      this.#count(
        "queueDrops",
        "sluice_net_datagrams_dropped_total",
        "Datagrams dropped because the pipeline did not take them fast enough.",
      );
      log.once(
        "warn",
        "net-datagram-queue",
        "datagrams arrive faster than the pipeline takes them: dropping (counted)",
      );
      return;
    }
    this.stats.received++;
    this.#queue.push({ data, peer });
    this.#queuedBytes += data.length;
    this.#wake?.();
  }

  static async #unix(options: DatagramListenOptions): Promise<DatagramReceiver> {
    const listen = (Deno as unknown as { listenDatagram?: ListenDatagram }).listenDatagram;
    if (typeof listen !== "function") {
      throw new TypeError(
        "Cannot listen on a unix datagram socket: Deno needs --unstable-net for it",
      );
    }
    if (!options.path) throw new TypeError('Cannot listen on a unix socket: "path" is not set');
    try {
      if ((await Deno.lstat(options.path)).isSocket) await Deno.remove(options.path);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    const conn = listen({ transport: "unixpacket", path: options.path });
    const path = options.path;
    const rx = new DatagramReceiver(options, conn.addr, () => {
      conn.close();
      Deno.remove(path).catch(() => {});
    });
    (async () => {
      while (!rx.#closed) {
        try {
          const [data] = await conn.receive();
          rx.#offer(data, `unix://${path}`);
        } catch (e) {
          if (!rx.#closed) options.log.warn(`unix datagram socket error: ${errorMessage(e)}`);
          return;
        }
      }
    })();
    return rx;
  }
}
