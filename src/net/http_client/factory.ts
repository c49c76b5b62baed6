/**
 * From option values to a running client: the settings derived once (TLS files read,
 * proxy chosen, fixed headers with Basic auth and the user agent, compression checked),
 * and the one `tls.verify off` warning naming the output.
 */
import type { PluginLogger as Logger } from "../../plugin.ts";
import { VERSION } from "../../version.ts";
import { tlsSettings, verifyOffWarning } from "../tls.ts";
import { HttpClient, type HttpClientSettings } from "./client.ts";
import { type Compression, parseCompression } from "./compress.ts";
import { basicAuth, parseHeader } from "./headers.ts";
import type { HttpClientValues } from "./options.ts";
import { proxyFor } from "./proxy.ts";

/** The option values a client reads: the client table's, any subset an output declares. */
export type ClientOptionValues =
  & Partial<HttpClientValues>
  & Pick<HttpClientValues, "host" | "port" | "tls">;

/** What an output may change about the defaults. */
export interface ClientChoices {
  /** Compressions the output offers (Fluent Bit's list for it); default gzip and zstd. */
  compressions?: readonly Compression[];
  /** Send `Authorization: Bearer <token>` (an output's `bearer_token`; not with http_user). */
  bearerToken?: string;
  /** `http.response_timeout` 0 means this (ms) instead of no limit. */
  defaultResponseTimeoutMs?: number;
  /** A `header` name given twice is sent twice (default); false keeps the last value. */
  duplicateHeaders?: boolean;
}

const seconds = (v: number | undefined, def: number) => Math.max(0, (v ?? def) * 1000);

/** The client settings of `o`; throws RangeError or SyntaxError for unusable values. */
export function clientSettings(
  o: ClientOptionValues,
  choices: ClientChoices = {},
): HttpClientSettings {
  const headers: [string, string][] = [["User-Agent", `sluice/${VERSION}`]];
  if (o.http_user !== undefined && o.http_user !== "") {
    headers.push(["Authorization", basicAuth(o.http_user, o.http_passwd ?? "")]);
  } else if (choices.bearerToken !== undefined) {
    headers.push(["Authorization", `Bearer ${choices.bearerToken}`]);
  }
  let user = (o.header ?? []).map((h) => parseHeader(h));
  if (choices.duplicateHeaders === false) {
    const last = new Map(user.map(([name, value]) => [name.toLowerCase(), [name, value]] as const));
    user = [...last.values()].map(([name, value]) => [name, value]);
  }
  const replaced = new Set(user.map(([name]) => name.toLowerCase()));
  const fixed = headers.filter(([name]) => !replaced.has(name.toLowerCase()));
  const compression = parseCompression(o.compress, choices.compressions);
  if (compression) fixed.push(["Content-Encoding", compression]);
  const tls = o.tls ? tlsSettings(o) : undefined;
  const tcpKeepalive = o["net.tcp_keepalive"]
    ? Math.max(1, o["net.tcp_keepalive_time"] ?? -1) * 1000
    : undefined;
  return {
    host: o.host,
    port: o.port,
    tls,
    proxy: proxyFor(o.host, o.port, {
      proxy: o.proxy,
      ignoreEnv: o["net.proxy_env_ignore"],
      tls: o.tls,
    }),
    headers: [...fixed, ...user],
    compression,
    connectTimeoutMs: seconds(o["net.connect_timeout"], 10),
    ioTimeoutMs: seconds(o["net.io_timeout"], 0),
    responseTimeoutMs: seconds(o["http.response_timeout"], 60) ||
      (choices.defaultResponseTimeoutMs ?? 0),
    keepalive: o["net.keepalive"] ?? true,
    idleTimeoutMs: seconds(o["net.keepalive_idle_timeout"], 30),
    maxRecycle: Math.max(0, o["net.keepalive_max_recycle"] ?? 2000),
    maxConnections: Math.max(0, o["net.max_worker_connections"] ?? 0),
    ...(o["net.source_address"] ? { sourceAddress: o["net.source_address"] } : {}),
    ...(tcpKeepalive !== undefined ? { tcpKeepaliveMs: tcpKeepalive } : {}),
  };
}

/** Who the client belongs to: its name for the warning, its logger. */
export interface ClientOwner {
  /** The output's instance name. */
  name: string;
  /** The output's logger. */
  log: Logger;
}

/**
 * Creates the client of an output from its options; logs one warning when `tls.verify`
 * is off on a TLS connection.
 *
 * @example
 * ```ts
 * import { Logger, memorySink } from "../../engine/log.ts";
 * import { assertEquals } from "../../testing/assert.ts";
 * import { HttpReceiver } from "../../testing/http_receiver.ts";
 * import { postDelivered } from "./deliver.ts";
 *
 * const rx = await HttpReceiver.start();
 * const log = new Logger({ component: "output:http.0", sink: memorySink() });
 * const client = createHttpClient({ host: "127.0.0.1", port: rx.port, tls: false }, {
 *   name: "http.0",
 *   log,
 * }, { compressions: ["gzip", "zstd"] });
 * const answer = await postDelivered(client, {
 *   path: "/v1/logs",
 *   body: new TextEncoder().encode('[{"msg":"hi"}]'),
 *   contentType: "application/json",
 * });
 * client.close();
 * await rx.stop();
 * assertEquals(answer.status, 200);
 * assertEquals(rx.records(), [{ msg: "hi" }]);
 * ```
 */
export function createHttpClient(
  o: ClientOptionValues,
  owner: ClientOwner,
  choices: ClientChoices = {},
): HttpClient {
  const client = new HttpClient(clientSettings(o, choices));
  const warning = verifyOffWarning(owner.name, o);
  if (warning) owner.log.warn(warning);
  return client;
}
