/**
 * OTLP/gRPC on the opentelemetry input's port: the TraceService, MetricsService and
 * LogsService Export calls go through the same receiver as OTLP/HTTP (auth, pause, limits,
 * decoding, validation, the ingress queue), and its HTTP answer becomes the gRPC status:
 * 400/415 INVALID_ARGUMENT, 401 UNAUTHENTICATED, 413 RESOURCE_EXHAUSTED, 503 UNAVAILABLE
 * with RetryInfo while the pipeline is paused or full. OTLP/HTTP requests that arrive over
 * HTTP/2 (h2 negotiated over TLS, or h2c) are served by the receiver as over HTTP/1.1.
 */
import { BinaryReader } from "@bufbuild/protobuf/wire";
import type { InputContext } from "../../../src/plugin.ts";
import {
  GrpcCode,
  grpcCodeOfHttp,
  type GrpcHandler,
  GrpcIngress,
} from "../../../src/net/grpc/mod.ts";
import { type HttpRequest, RETRY_AFTER_SECONDS } from "../../../src/net/http_server/mod.ts";
import type { OtlpReceiver } from "./receiver.ts";

/**
 * The gRPC method paths and the OTLP/HTTP path each is served as: the OTLP services, and
 * the singular/plural variants Fluent Bit 4.2.8 also accepts.
 */
export const GRPC_METHODS: Record<string, string> = {
  "/opentelemetry.proto.collector.trace.v1.TraceService/Export": "/v1/traces",
  "/opentelemetry.proto.collector.traces.v1.TracesService/Export": "/v1/traces",
  "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export": "/v1/metrics",
  "/opentelemetry.proto.collector.metric.v1.MetricService/Export": "/v1/metrics",
  "/opentelemetry.proto.collector.logs.v1.LogsService/Export": "/v1/logs",
  "/opentelemetry.proto.collector.log.v1.LogService/Export": "/v1/logs",
};

/** Metadata that describes the HTTP/2 or gRPC framing, not the request. */
const FRAMING = new Set(["content-type", "content-length", "grpc-encoding", "te"]);

/** The handler serving the three Export calls through `receiver`. */
export function otlpGrpcHandler(receiver: OtlpReceiver): GrpcHandler {
  return async (call) => {
    const path = GRPC_METHODS[call.path];
    if (path === undefined) {
      return { code: GrpcCode.UNIMPLEMENTED, message: `Unknown method "${call.path}"` };
    }
    const headers = new Headers();
    for (const [name, value] of call.headers) {
      if (name.startsWith(":") || FRAMING.has(name)) continue;
      headers.append(name, value);
    }
    headers.set("content-type", "application/x-protobuf");
    const message = call.message;
    const request: HttpRequest = {
      method: "POST",
      path,
      query: "",
      headers,
      remote: "",
      bytes: () => Promise.resolve(message),
    };
    const res = await receiver.handle(request);
    const body = new Uint8Array(await res.arrayBuffer());
    const code = grpcCodeOfHttp(res.status);
    if (code === GrpcCode.OK) return { code, response: body };
    return {
      code,
      message: statusMessage(body) ?? `HTTP status ${res.status}`,
      retryAfter: res.status === 503 ? RETRY_AFTER_SECONDS : undefined,
    };
  };
}

/** The message of a protobuf google.rpc.Status (field 2), when the body is one. */
function statusMessage(body: Uint8Array): string | undefined {
  try {
    const r = new BinaryReader(body);
    while (r.pos < r.len) {
      const [field, wire] = r.tag();
      if (field === 2 && wire === 2) return r.string();
      r.skip(wire);
    }
  } catch {
    // not a Status
  }
  return undefined;
}

/** The gRPC ingress of an input: its limits are the HTTP ingress's. */
export function otlpGrpcIngress(
  receiver: OtlpReceiver,
  ctx: InputContext,
  limits: { maxConnections: number; idleTimeoutMs: number },
): GrpcIngress {
  const calls = ctx.metrics.counter(
    "sluice_input_otlp_grpc_calls_total",
    "OTLP/gRPC calls answered by an opentelemetry input, by gRPC status code.",
  );
  return new GrpcIngress(otlpGrpcHandler(receiver), {
    limit: receiver.settings.bodyLimit,
    maxConcurrentStreams: 100,
    maxConnections: limits.maxConnections,
    idleTimeoutMs: limits.idleTimeoutMs,
    onStatus: (code) => calls.inc({ name: ctx.name, code: String(code) }),
    http: (req) => receiver.handle(req),
    log: ctx.log,
  });
}
