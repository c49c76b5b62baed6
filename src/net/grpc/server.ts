/**
 * gRPC unary calls over sluice's HTTP/2 sessions: each stream is checked (POST,
 * `application/grpc`), its one message is read with the ingress limits (a declared length
 * over the limit is answered before the bytes arrive), the handler answers with a status,
 * and the answer goes out as headers, message and trailers, or as Trailers-Only for a
 * failure. Every stream gets a status: a reset, a stall past the idle timeout or a
 * malformed body included.
 */
import { errorMessage } from "../../error_message.ts";
import type { PluginLogger as Logger } from "../../plugin.ts";
import type { ByteStream } from "../stream/dial.ts";
import { type HeaderList, headerValue } from "../http2/hpack.ts";
import { type H2Session, H2Session as Session, type H2Stream } from "../http2/session.ts";
import { serveHttpStream } from "../http2/http_exchange.ts";
import type { HttpHandler } from "../http_server/mod.ts";
import { declaredLength, frameMessage, readMessage } from "./message.ts";
import { encodeGrpcMessage, GrpcCode, GrpcError, retryInfoDetails } from "./status.ts";

/** One call as the handler sees it. */
export interface GrpcCall {
  /** The method path, `/package.Service/Method`. */
  path: string;
  /** The request headers (metadata included). */
  headers: HeaderList;
  /** The request message, inflated. */
  message: Uint8Array;
}

/** A handler's answer. */
export interface GrpcReply {
  code: number;
  /** Why, for a failure (`grpc-message`). */
  message?: string;
  /** The response message of a success. */
  response?: Uint8Array;
  /** Seconds the client should wait before retrying (sent as RetryInfo). */
  retryAfter?: number;
}

/** Answers one call; a thrown error is INTERNAL. */
export type GrpcHandler = (call: GrpcCall) => Promise<GrpcReply>;

/** The bounds of a gRPC ingress. */
export interface GrpcServerOptions {
  /** Largest request message, before and after inflating. */
  limit: number;
  /** Streams a connection may have open at once (more are refused). */
  maxConcurrentStreams: number;
  /** An idle connection, or a stalled stream, is closed after this many ms. */
  idleTimeoutMs: number;
  /** Serves requests that are not gRPC (OTLP/HTTP over HTTP/2); else they get 415. */
  http?: HttpHandler;
  /** Called with each call's final status code. */
  onStatus?: (code: number) => void;
  log?: Logger;
}

/**
 * Serves gRPC on an HTTP/2 connection (its `prefix` bytes already read); returns the
 * session, which ends with the connection.
 */
export function serveGrpc(
  io: ByteStream,
  handler: GrpcHandler,
  options: GrpcServerOptions & { prefix?: Uint8Array },
): H2Session {
  const window = options.limit + 5 + 1024;
  const session: H2Session = new Session(io, {
    role: "server",
    prefix: options.prefix,
    maxConcurrentStreams: options.maxConcurrentStreams,
    streamWindow: Math.min(0x7fffffff, window),
    connectionWindow: Math.min(0x7fffffff, Math.max(16 * 1024 * 1024, 2 * window)),
    idleTimeoutMs: options.idleTimeoutMs,
    log: options.log,
    onStream: (stream) => acceptCall(session, stream, handler, options),
  });
  return session;
}

function acceptCall(
  session: H2Session,
  stream: H2Stream,
  handler: GrpcHandler,
  o: GrpcServerOptions,
): void {
  let answered = false;
  const answer = (reply: GrpcReply): void => {
    if (answered) return;
    answered = true;
    o.onStatus?.(reply.code);
    void sendReply(session, stream, reply).catch(() => {});
  };
  const h = stream.headers;
  const method = headerValue(h, ":method");
  const type = headerValue(h, "content-type") ?? "";
  const grpc = /^application\/grpc($|[+;])/i.test(type);
  // Not gRPC and not a gRPC method path (/package.Service/Method): plain HTTP over HTTP/2.
  const methodPath = /^\/[^/]+\.[^/]+\/[^/]+$/.test(headerValue(h, ":path") ?? "");
  if (!grpc && !methodPath && o.http) return serveHttpStream(session, stream, o.http, o);
  if (method !== "POST" || !grpc) {
    answered = true;
    o.onStatus?.(GrpcCode.INVALID_ARGUMENT);
    const why = method !== "POST"
      ? `Method "${method}" is not allowed: gRPC calls are POST`
      : `Unsupported Content-Type "${type}": expected application/grpc`;
    session.sendHeaders(stream, [
      [":status", method !== "POST" ? "405" : "415"],
      ["content-type", "application/grpc"],
      ["grpc-status", String(GrpcCode.INVALID_ARGUMENT)],
      ["grpc-message", encodeGrpcMessage(why)],
    ], true);
    return;
  }
  // The message is copied once, into a buffer of its declared size (checked against the
  // limit first); bytes past it are only counted (a second message is refused at the end).
  const head = new Uint8Array(5);
  let body: Uint8Array | null = null;
  let total = 0;
  stream.listener = {
    headers() {}, // trailers from the client carry nothing a unary call needs
    data(bytes) {
      if (answered) return;
      const at = total;
      total += bytes.length;
      if (body === null) {
        head.set(bytes.subarray(0, 5 - at), at);
        if (total < 5) return;
        const declared = declaredLength(head);
        if (declared > o.limit) {
          return answer({
            code: GrpcCode.RESOURCE_EXHAUSTED,
            message:
              `The message of ${declared} bytes is larger than the limit of ${o.limit} bytes`,
          });
        }
        body = new Uint8Array(5 + declared);
        body.set(head);
        body.set(bytes.subarray(5 - at, 5 - at + declared), 5);
        return;
      }
      if (at < body.length) body.set(bytes.subarray(0, body.length - at), at);
    },
    end() {
      if (answered) return;
      const whole = body === null
        ? head.subarray(0, total)
        : total === body.length
        ? body
        : new Uint8Array(total); // cut short or more than one message: readMessage says which
      if (body !== null && whole !== body) {
        whole.set(body.subarray(0, Math.min(total, body.length)));
      }
      body = null;
      const encoding = headerValue(h, "grpc-encoding");
      readMessage(whole, { limit: o.limit, encoding }).then(
        (message) =>
          handler({ path: headerValue(h, ":path") ?? "", headers: h, message }).then(
            answer,
            (e) => {
              o.log?.error(`gRPC handler failed: ${errorMessage(e)}`);
              answer({ code: GrpcCode.INTERNAL, message: "Internal error" });
            },
          ),
        (e) => {
          if (e instanceof GrpcError) return answer({ code: e.code, message: e.message });
          return answer({ code: GrpcCode.INTERNAL, message: errorMessage(e) });
        },
      );
    },
    reset() {
      if (!answered) o.onStatus?.(GrpcCode.CANCELLED);
      answered = true;
      body = null;
    },
    timeout() {
      answer({
        code: GrpcCode.DEADLINE_EXCEEDED,
        message: "The request message did not arrive within the idle timeout",
      });
    },
  };
}

async function sendReply(session: H2Session, stream: H2Stream, reply: GrpcReply): Promise<void> {
  if (stream.closed) return;
  if (reply.code !== GrpcCode.OK) {
    const list: HeaderList = [
      [":status", "200"],
      ["content-type", "application/grpc"],
      ["grpc-status", String(reply.code)],
      ["grpc-message", encodeGrpcMessage(reply.message ?? "")],
    ];
    if (reply.retryAfter !== undefined) {
      list.push([
        "grpc-status-details-bin",
        retryInfoDetails(reply.code, reply.message ?? "", reply.retryAfter),
      ]);
    }
    session.sendHeaders(stream, list, true);
    return;
  }
  session.sendHeaders(stream, [[":status", "200"], ["content-type", "application/grpc"]], false);
  const message = frameMessage(reply.response ?? new Uint8Array(0));
  await session.sendData(stream, message, false, [["grpc-status", "0"]]);
}
