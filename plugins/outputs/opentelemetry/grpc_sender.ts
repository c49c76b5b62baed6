/**
 * OTLP/gRPC export (`grpc on`): each request is the Export call of its signal's service
 * (`grpc_traces_uri`, ...) over the gRPC client of `src/net/grpc`, with the output's
 * connection, TLS, headers and gzip; the verdict follows the OTLP/gRPC spec: OK delivered
 * (its partial_success returned), the retryable codes (and RESOURCE_EXHAUSTED with
 * RetryInfo) and transport failures retried by the engine, every other code permanent.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { PluginContext } from "../../../src/plugin.ts";
import type { Signal } from "../../../src/event/chunk.ts";
import { clientSettings } from "../../../src/net/http_client/mod.ts";
import { GrpcClient, GrpcCode, grpcCodeName, retryableCode } from "../../../src/net/grpc/mod.ts";
import { decodeExportResponse, type ExportPartialSuccess } from "../../../src/otlp/mod.ts";
import type { OtlpOutputOptions } from "./options.ts";

/** Sends one encoded export request of a signal. */
export interface GrpcExporter {
  send(body: Uint8Array, signal: Signal): Promise<ExportPartialSuccess | null>;
  close(): void;
}

/** Metadata gRPC forbids or sets itself. */
const RESERVED = new Set(["content-type", "content-encoding", "te", "user-agent", "host"]);

/** The gRPC exporter of an output; nothing connects until the first send. */
export function createGrpcExporter(o: OtlpOutputOptions, ctx: PluginContext): GrpcExporter {
  const s = clientSettings(o, { compressions: ["gzip", "zstd"] });
  if (s.compression === "zstd") {
    ctx.log.warn(`"compress" zstd is not a gRPC encoding: OTLP/gRPC requests are sent as gzip`);
  }
  if (s.proxy !== undefined) {
    ctx.log.warn(`"proxy" is not used with "grpc" on: OTLP/gRPC connects to the host directly`);
  }
  const gzip = s.compression !== undefined;
  const headers: Array<[string, string]> = s.headers
    .map(([n, v]): [string, string] => [n.toLowerCase(), v])
    .filter(([n]) => !RESERVED.has(n));
  const paths: Record<Signal, string> = {
    logs: o.grpc_logs_uri,
    metrics: o.grpc_metrics_uri,
    traces: o.grpc_traces_uri,
  };
  const client = new GrpcClient({
    host: s.host,
    port: s.port,
    tls: s.tls,
    connectTimeoutMs: s.connectTimeoutMs || 10_000,
    log: ctx.log,
  });
  const timeoutMs = s.responseTimeoutMs || 60_000;
  return {
    async send(body, signal) {
      const path = paths[signal];
      let result;
      try {
        result = await client.unary(path, body, { headers, gzip, timeoutMs });
      } catch (e) {
        throw new RetryableError(
          `OTLP/gRPC export to ${s.host}:${s.port}${path} failed: ${errorMessage(e)}`,
          { cause: e },
        );
      }
      if (result.code === GrpcCode.OK) {
        if (result.response === null || result.response.length === 0) return null;
        try {
          return decodeExportResponse(result.response, { signal, format: "protobuf" })
            .partialSuccess;
        } catch {
          return null;
        }
      }
      const what = `OTLP/gRPC export to ${s.host}:${s.port}${path}: ` +
        `${grpcCodeName(result.code)} (${result.code})${
          result.message ? `: ${result.message}` : ""
        }`;
      if (retryableCode(result.code, result.retryAfter !== undefined)) {
        throw new RetryableError(what, { retryAfter: result.retryAfter });
      }
      throw new PermanentError(what);
    },
    close: () => client.close(),
  };
}
