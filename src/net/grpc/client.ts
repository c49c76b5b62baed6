/**
 * A gRPC unary client over sluice's HTTP/2 (h2c prior knowledge, or TLS with ALPN h2): one
 * connection reused for every call (a new one when it closes or the server says GOAWAY),
 * the request message optionally gzip-compressed, the status read from the trailers or a
 * Trailers-Only answer, and an HTTP status without gRPC status mapped as gRPC does.
 */
import zlib from "node:zlib";
import { errorMessage } from "../../error_message.ts";
import type { PluginLogger as Logger } from "../../plugin.ts";
import { dial } from "../stream/dial.ts";
import type { TlsSettings } from "../tls.ts";
import { type HeaderList, headerValue } from "../http2/hpack.ts";
import { H2Session } from "../http2/session.ts";
import { H2Error } from "../http2/frames.ts";
import { frameMessage } from "./message.ts";
import { decodeGrpcMessage, GrpcCode } from "./status.ts";
import { retryDelayOf } from "./details.ts";

/** Where and how to call. */
export interface GrpcClientOptions {
  host: string;
  port: number;
  /** TLS settings; h2c (prior knowledge) when absent. */
  tls?: TlsSettings;
  connectTimeoutMs: number;
  log?: Logger;
}

/** A call's outcome (a transport failure throws instead). */
export interface GrpcResult {
  code: number;
  message: string;
  /** The response message (inflated), when the server sent one. */
  response: Uint8Array | null;
  /** Seconds to wait before retrying, when the server sent RetryInfo. */
  retryAfter?: number;
}

/** Per-call settings. */
export interface CallOptions {
  /** Extra metadata (lower-case names). */
  headers?: HeaderList;
  /** Gzip the message. */
  gzip?: boolean;
  /** Give up (and cancel the stream) after this many ms. */
  timeoutMs: number;
}

/** HTTP statuses without a grpc-status, as gRPC maps them. */
function codeOfHttp(status: number): number {
  if (status === 400) return GrpcCode.INTERNAL;
  if (status === 401) return GrpcCode.UNAUTHENTICATED;
  if (status === 403) return GrpcCode.PERMISSION_DENIED;
  if (status === 404) return GrpcCode.UNIMPLEMENTED;
  if ([429, 502, 503, 504].includes(status)) return GrpcCode.UNAVAILABLE;
  return GrpcCode.UNKNOWN;
}

/** A gRPC client for one server. */
export class GrpcClient {
  #o: GrpcClientOptions;
  #session: H2Session | undefined;
  #connecting: Promise<H2Session> | undefined;

  constructor(options: GrpcClientOptions) {
    this.#o = options;
  }

  /** Calls `path` with `message`; throws on a transport failure (connect, reset, timeout). */
  async unary(path: string, message: Uint8Array, options: CallOptions): Promise<GrpcResult> {
    const session = await this.#get();
    const o = this.#o;
    const authority = o.port === (o.tls ? 443 : 80) ? o.host : `${o.host}:${o.port}`;
    const headers: HeaderList = [
      [":method", "POST"],
      [":scheme", o.tls ? "https" : "http"],
      [":path", path],
      [":authority", authority],
      ["content-type", "application/grpc"],
      ["te", "trailers"],
      ["grpc-accept-encoding", "identity,gzip"],
      ["user-agent", "sluice"],
      ["grpc-timeout", `${Math.max(1, Math.ceil(options.timeoutMs))}m`],
    ];
    let body = message;
    if (options.gzip) {
      headers.push(["grpc-encoding", "gzip"]);
      body = new Uint8Array(zlib.gzipSync(message));
    }
    for (const h of options.headers ?? []) headers.push(h);
    const stream = session.open(headers, false);
    let head: HeaderList | undefined;
    let trailers: HeaderList | undefined;
    const parts: Uint8Array[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.listener = {
        headers(list, endStream) {
          if (head === undefined && !endStream) head = list;
          else if (head === undefined) head = trailers = list;
          else trailers = list;
        },
        data(bytes) {
          parts.push(bytes.slice());
        },
        end: resolve,
        reset: (why) => reject(new Error(`the gRPC stream failed: ${why}`)),
      };
    });
    done.catch(() => {}); // it may fail after the call gave up (timeout, send failure)
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        session.reset(stream, H2Error.CANCEL);
        reject(new Error(`no answer within ${options.timeoutMs / 1000}s`));
      }, options.timeoutMs);
    });
    try {
      // A server may answer (and reset) before the whole request is sent: its answer counts.
      const sent = session.sendData(stream, frameMessage(body, options.gzip === true), true)
        .catch((e) => {
          if (head === undefined) throw e;
        });
      await Promise.race([sent.then(() => done), late]);
    } finally {
      clearTimeout(timer);
    }
    return resultOf(head ?? [], trailers ?? [], parts);
  }

  /** Closes the connection. */
  close(): void {
    this.#session?.close(true);
    this.#session = undefined;
  }

  async #get(): Promise<H2Session> {
    if (this.#session?.usable) return this.#session;
    if (this.#connecting) return await this.#connecting;
    const o = this.#o;
    this.#connecting = (async () => {
      const io = await dial({
        host: o.host,
        port: o.port,
        tls: o.tls,
        connectTimeoutMs: o.connectTimeoutMs,
        alpn: o.tls ? ["h2"] : undefined,
      });
      const session = new H2Session(io, {
        role: "client",
        maxConcurrentStreams: 1000,
        streamWindow: 4 * 1024 * 1024,
        connectionWindow: 16 * 1024 * 1024,
        idleTimeoutMs: 30_000,
        log: o.log,
      });
      session.done.catch((e) => o.log?.debug(`gRPC connection ended: ${errorMessage(e)}`));
      this.#session = session;
      return session;
    })();
    try {
      return await this.#connecting;
    } finally {
      this.#connecting = undefined;
    }
  }
}

function resultOf(head: HeaderList, trailers: HeaderList, parts: Uint8Array[]): GrpcResult {
  const status = Number(headerValue(head, ":status") ?? "0");
  const raw = headerValue(trailers, "grpc-status") ?? headerValue(head, "grpc-status");
  if (raw === undefined) {
    const code = status === 200 ? GrpcCode.UNKNOWN : codeOfHttp(status);
    return { code, message: `HTTP status ${status} without a grpc-status`, response: null };
  }
  const code = Number(raw);
  const message = decodeGrpcMessage(
    headerValue(trailers, "grpc-message") ?? headerValue(head, "grpc-message") ?? "",
  );
  const details = headerValue(trailers, "grpc-status-details-bin") ??
    headerValue(head, "grpc-status-details-bin");
  const retryAfter = details === undefined ? undefined : retryDelayOf(details);
  let response: Uint8Array | null = null;
  const body = join(parts);
  if (body.length >= 5) {
    const len = new DataView(body.buffer, body.byteOffset).getUint32(1);
    const msg = body.subarray(5, 5 + len);
    response = body[0] === 1 ? new Uint8Array(zlib.gunzipSync(msg)) : msg;
  }
  return { code: Number.isInteger(code) ? code : GrpcCode.UNKNOWN, message, response, retryAfter };
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
