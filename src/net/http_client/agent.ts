/**
 * The connection pool of one client: a node:http or node:https Agent with the client's
 * TLS settings applied to its connections alone (so `tls.verify off` touches no other
 * output), keep-alive with an idle timeout, a connection cap, and for TLS through a proxy
 * a CONNECT tunnel per pooled connection. node:https is used because the runtime's fetch
 * cannot turn chain verification off per client; it is also faster here (see bench/). Those
 * modules are loaded when the first pool is made (src/net/lazy_node.ts).
 */
import type http from "node:http";
import type https from "node:https";
import type { Duplex } from "node:stream";
import type tls from "node:tls";
import { nodeHttp, nodeHttps, nodeTls } from "../lazy_node.ts";
import { tlsConnectOptions, type TlsSettings } from "../tls.ts";
import type { ProxyTarget } from "./proxy.ts";

/** Pool settings. */
export interface AgentSettings {
  tls?: TlsSettings;
  proxy?: ProxyTarget;
  keepalive: boolean;
  /** Idle kept-alive connections close after this (ms). */
  idleTimeoutMs: number;
  /** Most connections open at once (0 = no limit). */
  maxConnections: number;
  sourceAddress?: string;
  /** TCP keepalive probes: the idle delay before the first (ms), or undefined for none. */
  tcpKeepaliveMs?: number;
}

type Callback = (err: Error | null, stream: Duplex) => void;

interface NodeModules {
  http: typeof http;
  https: typeof https;
  tls: typeof tls;
}

/** The class of https Agents whose connections are CONNECT tunnels through an HTTP proxy. */
function tunnelAgent({ http, https, tls }: NodeModules) {
  return class TunnelAgent extends https.Agent {
    #proxy: ProxyTarget;
    #timeoutMs: number;

    constructor(proxy: ProxyTarget, options: https.AgentOptions & { connectTimeoutMs: number }) {
      super(options);
      this.#proxy = proxy;
      this.#timeoutMs = options.connectTimeoutMs;
    }

    // deno-lint-ignore no-explicit-any
    override createConnection(options: any, callback?: Callback): Duplex {
      const p = this.#proxy;
      const target = `${
        options.host.includes(":") ? `[${options.host}]` : options.host
      }:${options.port}`;
      const req = http.request({
        host: p.host,
        port: p.port,
        method: "CONNECT",
        path: target,
        headers: {
          host: target,
          ...(p.authorization ? { "proxy-authorization": p.authorization } : {}),
        },
        agent: false,
      });
      let done = false;
      const finish = (err: Error | null, socket?: Duplex) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        callback?.(err, socket as Duplex);
      };
      const timer = this.#timeoutMs > 0
        ? setTimeout(() => {
          req.destroy();
          finish(new Error(`proxy ${p.url} did not open a tunnel within ${this.#timeoutMs} ms`));
        }, this.#timeoutMs)
        : undefined;
      req.on("connect", (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy();
          finish(
            new Error(`proxy ${p.url} refused the tunnel to ${target}: HTTP ${res.statusCode}`),
          );
          return;
        }
        const secure = tls.connect({
          ...options,
          socket,
          servername: options.servername ?? options.host,
        });
        finish(null, secure);
      });
      req.on("error", (e) => finish(new Error(`proxy ${p.url}: ${e.message}`, { cause: e })));
      req.end();
      return undefined as unknown as Duplex;
    }
  };
}

/** Creates the pool for `s`, loading node:http (and node:https, node:tls for TLS) once. */
export async function createAgent(
  s: AgentSettings,
  connectTimeoutMs: number,
): Promise<http.Agent> {
  const common = {
    keepAlive: s.keepalive,
    // node:http closes a free socket after `timeout` ms idle.
    timeout: s.keepalive ? Math.max(1, s.idleTimeoutMs) : undefined,
    maxSockets: s.maxConnections > 0 ? s.maxConnections : Infinity,
    maxFreeSockets: 64,
    scheduling: "lifo" as const,
    ...(s.sourceAddress ? { localAddress: s.sourceAddress } : {}),
    ...(s.tcpKeepaliveMs !== undefined ? { keepAliveMsecs: s.tcpKeepaliveMs } : {}),
  };
  if (!s.tls) return new (await nodeHttp()).Agent(common);
  const options = { ...common, ...tlsConnectOptions(s.tls) };
  const https = await nodeHttps();
  if (s.proxy) {
    const modules = { http: await nodeHttp(), https, tls: await nodeTls() };
    return new (tunnelAgent(modules))(s.proxy, { ...options, connectTimeoutMs });
  }
  return new https.Agent(options);
}
