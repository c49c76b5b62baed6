/**
 * The option keys every HTTP input shares, declared once: Fluent Bit's listener keys
 * (`listen`/`host`, `port`, `tls*` and `net.*` from `src/net/options.ts`, `http_server.*` with the legacy aliases
 * `buffer_max_size`, `buffer_chunk_size`, `http2`) and sluice's bounds and auth keys
 * (`net.header_timeout`, `auth.*`). {@link httpServerSettings} turns them into
 * {@link HttpServerOptions} and a body limit.
 */
import { opt, type OptionTable, type OptionValues } from "../../config/options.ts";
import {
  listenOptions,
  netHttpServerOptions,
  netServerOptions,
  tlsServerOptions,
} from "../options.ts";
import { serverTlsFiles, serverTlsPem } from "../tls.ts";
import type { IngressAuth } from "./auth.ts";
import type { IngressLimits } from "../ingress_queue.ts";
import type { HttpServerOptions } from "./server.ts";

/** Connections per input when `http_server.max_connections` is 0 (Fluent Bit: unlimited). */
export const DEFAULT_MAX_CONNECTIONS = 1024;

/**
 * The table behind {@link httpServerOptions}, its type inferred.
 *
 * @ignore
 */
export function serverOptionTable(port: number) {
  return {
    ...listenOptions(port),
    host: opt.string(undefined, "Alias of listen; wins when both are set"),
    buffer_max_size: opt.size(4_000_000, "Largest request body, after decompression (413 above)"),
    buffer_chunk_size: opt.size(512_000, "Accepted for compatibility (bodies are read as sent)"),
    http2: opt.bool(true, "Accepted for compatibility (HTTP/1.1 is served)"),
    "http_server.buffer_max_size": opt.size(
      undefined,
      "Largest request body; overrides buffer_max_size when set",
    ),
    "http_server.buffer_chunk_size": opt.size(undefined, "Accepted for compatibility"),
    "http_server.http2": opt.bool(true, "Accepted for compatibility (HTTP/1.1 is served)"),
    "http_server.max_connections": opt.int(
      0,
      `Open connections per input; more get 503 and are closed (0: ${DEFAULT_MAX_CONNECTIONS})`,
      { check: (v) => v >= 0 ? undefined : `expected 0 or more, got ${v}` },
    ),
    "http_server.workers": opt.int(1, "Accepted for compatibility (one event loop serves all)"),
    "http_server.ingress_queue_event_limit": opt.int(
      8192,
      "Requests waiting to enter the pipeline before new ones get 503 with Retry-After",
    ),
    "http_server.ingress_queue_byte_limit": opt.size(
      256_000_000,
      "Bytes waiting to enter the pipeline before new requests get 503 with Retry-After",
    ),
    "http_server.idle_timeout": opt.duration(
      10,
      "Close a keep-alive connection idle this long, or a body stalled this long",
    ),
    "auth.bearer_token": opt.string(
      undefined,
      "Require `Authorization: Bearer <token>` (401 otherwise); sluice extension",
    ),
    "auth.basic_user": opt.string(
      undefined,
      "Require Basic credentials with this user (401 otherwise); sluice extension",
    ),
    "auth.basic_passwd": opt.string("", "Password for auth.basic_user"),
    ...tlsServerOptions,
    ...netServerOptions,
    ...netHttpServerOptions,
  } satisfies OptionTable;
}

/** The option table {@link httpServerOptions} returns. */
export type HttpServerOptionTable = ReturnType<typeof serverOptionTable>;

/** The shared HTTP listener options; `port` is the plugin's default port. */
export function httpServerOptions(port: number): HttpServerOptionTable {
  return serverOptionTable(port);
}

/** Parsed shared listener options. */
export type HttpServerOptionValues = OptionValues<HttpServerOptionTable>;

/** What an HTTP input derives from the shared keys. */
export interface HttpServerSettings {
  /** Everything {@link serveHttp} needs but the logger and pause check. */
  server: Omit<HttpServerOptions, "log" | "paused">;
  /** Largest body before and after inflating. */
  bodyLimit: number;
  /** Credentials requests must carry; empty when none are required. */
  auth: IngressAuth;
  /** Bounds of the ingress queue between handlers and the engine. */
  queue: IngressLimits;
}

/** Derives listener settings (reading TLS files); throws RangeError for unusable values. */
export function httpServerSettings(options: HttpServerOptionValues): HttpServerSettings {
  const files = serverTlsFiles(options);
  const tls = files ? serverTlsPem(files) : undefined;
  const auth: IngressAuth = {};
  if (options["auth.bearer_token"]) auth.bearerToken = options["auth.bearer_token"];
  if (options["auth.basic_user"] !== undefined) {
    auth.basic = { user: options["auth.basic_user"], password: options["auth.basic_passwd"] };
  }
  const max = options["http_server.max_connections"];
  return {
    server: {
      hostname: options.host ?? options.listen,
      port: options.port,
      tls,
      headerTimeoutMs: Math.max(1, options["net.header_timeout"] * 1000),
      idleTimeoutMs: Math.max(1, options["http_server.idle_timeout"] * 1000),
      maxConnections: max > 0 ? max : DEFAULT_MAX_CONNECTIONS,
      auth,
    },
    bodyLimit: options["http_server.buffer_max_size"] ?? options.buffer_max_size,
    auth,
    queue: {
      events: Math.max(1, options["http_server.ingress_queue_event_limit"]),
      bytes: Math.max(1, options["http_server.ingress_queue_byte_limit"]),
    },
  };
}
