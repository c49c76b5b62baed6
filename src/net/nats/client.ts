/**
 * The one NATS client of sluice: a connection made on first use and kept, over the npm
 * `@nats-io/transport-node` client (node:net, which Deno provides). The client reconnects by
 * itself once connected; until the first connect succeeds each use tries again, so an output
 * started while the server is down retries its chunks instead of failing. Plugins hold only
 * their subjects, payloads and JetStream calls.
 */
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { PluginLogger } from "../../plugin.ts";

/** Where and how to connect. */
export interface NatsClientOptions {
  /** Server host name or address. */
  host: string;
  /** Server port. */
  port: number;
  /** The connection's name, shown by the server (`sluice`, as Fluent Bit sends `fluent-bit`). */
  name?: string;
  /** User for user/password authentication. */
  user?: string;
  /** Password for user/password authentication. */
  password?: string;
  /** Token authentication. */
  token?: string;
  /** Seconds to wait for a connect. */
  connectTimeout: number;
  /** Where connection changes are logged. */
  log: PluginLogger;
}

/**
 * A lazily made, kept NATS connection.
 *
 * @example
 * ```ts
 * import { assertRejects } from "../../testing/assert.ts";
 * import { testFilterContext } from "../../testing/filter_context.ts";
 *
 * const link = new NatsLink({ host: "127.0.0.1", port: 1, connectTimeout: 1, log: testFilterContext().log });
 * await assertRejects(() => link.connection()); // nothing listens on port 1
 * await link.close();
 * ```
 */
export class NatsLink {
  readonly #options: NatsClientOptions;
  #nc: NatsConnection | undefined;
  #connecting: Promise<NatsConnection> | undefined;
  #closed = false;

  constructor(options: NatsClientOptions) {
    this.#options = options;
  }

  /** `host:port`, for log lines. */
  get address(): string {
    return `${this.#options.host}:${this.#options.port}`;
  }

  /** The connection, made now when there is none; rejects when the server cannot be reached. */
  connection(): Promise<NatsConnection> {
    if (this.#closed) return Promise.reject(new Error("The NATS connection is closed"));
    if (this.#nc && !this.#nc.isClosed()) return Promise.resolve(this.#nc);
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined));
    return this.#connecting;
  }

  /** True while connected (not reconnecting). */
  get connected(): boolean {
    const nc = this.#nc;
    return nc !== undefined && !nc.isClosed() && this.#up;
  }

  #up = false;

  async #connect(): Promise<NatsConnection> {
    const o = this.#options;
    const nc = await connect({
      servers: `${o.host}:${o.port}`,
      name: o.name ?? "sluice",
      user: o.user,
      pass: o.password,
      token: o.token,
      timeout: Math.max(1, Math.round(o.connectTimeout * 1000)),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 10_000,
      ignoreClusterUpdates: true,
    });
    if (this.#closed) {
      await nc.close();
      throw new Error("The NATS connection is closed");
    }
    this.#nc = nc;
    this.#up = true;
    o.log.info(`connected to NATS at ${this.address} (server ${nc.info?.version ?? "?"})`);
    this.#watch(nc).catch(() => {});
    return nc;
  }

  async #watch(nc: NatsConnection): Promise<void> {
    for await (const s of nc.status()) {
      if (s.type === "disconnect") {
        this.#up = false;
        this.#options.log.warn(`lost the NATS connection to ${this.address}; reconnecting`);
      } else if (s.type === "reconnect") {
        this.#up = true;
        this.#options.log.info(`reconnected to NATS at ${this.address}`);
      }
    }
  }

  /** Closes the connection, sending what is buffered first. */
  async close(): Promise<void> {
    this.#closed = true;
    const nc = this.#nc ?? await this.#connecting?.catch(() => undefined);
    this.#nc = undefined;
    if (nc && !nc.isClosed()) await nc.drain().catch(() => nc.close());
  }
}
