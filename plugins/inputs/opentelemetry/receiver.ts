/**
 * The OTLP/HTTP request handler, apart from any socket: path, method, auth, backpressure,
 * content type and encoding, size limit, decoding and validation, then the decoded chunks
 * go through the ingress queue and the answer waits until the engine has them. Every
 * failure is a 4xx naming the problem, or 503 with Retry-After while the pipeline is full.
 */
import { errorMessage } from "../../../src/error_message.ts";
import type { InputContext, MetricFamily as Metric } from "../../../src/plugin.ts";
import type { Chunk, Signal } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import {
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  formatOfContentType,
  type OtlpFormat,
  validateLogs,
  validateMetrics,
  validateSpans,
} from "../../../src/otlp/mod.ts";
import {
  authorized,
  fromWebRequest,
  HttpError,
  type HttpRequest,
  IngressQueue,
  readBody,
  RETRY_AFTER_SECONDS,
} from "../../../src/net/http_server/mod.ts";
import { errorResponse, successResponse } from "./responses.ts";
import type { ReceiverSettings } from "./settings.ts";
import { splitByTagKey } from "./tags.ts";

const PATHS: Record<string, Signal> = {
  "/v1/traces": "traces",
  "/v1/logs": "logs",
  "/v1/metrics": "metrics",
};

/**
 * Decoded records take about this many times their encoded size in memory (a span of ~200
 * protobuf bytes is ~900 bytes of JS objects); chunk sizes count that, so `mem_buf_limit`
 * bounds what the records really hold.
 */
const MEMORY_FACTOR: Record<OtlpFormat, number> = { protobuf: 4, json: 2 };

/** A request's payload that cannot be decoded or is invalid: answered with 400. */
class InvalidPayload extends Error {}

/** Handles OTLP/HTTP requests and yields what they carry as chunks. */
export class OtlpReceiver {
  readonly settings: ReceiverSettings;
  #ctx: InputContext;
  #queue: IngressQueue;
  #requests: Metric;

  constructor(settings: ReceiverSettings, ctx: InputContext) {
    this.settings = settings;
    this.#ctx = ctx;
    this.#queue = new IngressQueue({
      events: settings.queueEvents,
      bytes: settings.queueBytes,
      // Answers wait for the engine to take the spans, never for their acks.
      merge: true,
    });
    this.#requests = ctx.metrics.counter(
      "sluice_input_otlp_requests_total",
      "OTLP/HTTP requests answered by an opentelemetry input, by status code.",
    );
  }

  /** The queue between the handler and the engine. */
  get queue(): IngressQueue {
    return this.#queue;
  }

  /** Requests waiting for the engine. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** The decoded chunks, in request order; ends when {@link close} is called. */
  chunks(): AsyncGenerator<Chunk> {
    return this.#queue.take();
  }

  /** Refuses waiting and later requests with 503 and ends {@link chunks}. */
  close(): void {
    this.#queue.close();
  }

  /** Answers one request (an ingress request, or a web `Request` in tests); never throws. */
  async handle(request: HttpRequest | Request): Promise<Response> {
    let response: Response;
    try {
      response = await this.#handle(request instanceof Request ? fromWebRequest(request) : request);
    } catch (e) {
      // Anything unexpected while decoding is a payload the codec could not make sense of.
      response = errorResponse(400, `Cannot process the request: ${errorMessage(e)}`);
    }
    this.#requests.inc({ name: this.#ctx.name, code: String(response.status) });
    return response;
  }

  #unavailable(message: string, format: OtlpFormat | null): Response {
    return errorResponse(503, message, {
      format,
      headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
    });
  }

  async #handle(request: HttpRequest): Promise<Response> {
    const s = this.settings;
    const path = request.path;
    const signal = PATHS[path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path];
    if (signal === undefined) {
      return errorResponse(
        404,
        `Unknown path "${path}": expected /v1/traces, /v1/logs or /v1/metrics`,
      );
    }
    if (request.method !== "POST") {
      return errorResponse(405, `Method "${request.method}" is not allowed: use POST`, {
        headers: { allow: "POST" },
      });
    }
    const type = request.headers.get("content-type") ?? "";
    const format = formatOfContentType(type);
    if (!authorized(request.headers, s.auth)) {
      const bearer = s.auth.bearerToken !== undefined;
      return errorResponse(401, `Missing or invalid ${bearer ? "bearer token" : "credentials"}`, {
        format,
        headers: { "www-authenticate": bearer ? "Bearer" : 'Basic realm="sluice"' },
      });
    }
    if (this.#queue.closed) return this.#unavailable("The input is shutting down", format);
    if (this.#ctx.isPaused()) {
      return this.#unavailable("The pipeline is full (mem_buf_limit): retry later", format);
    }
    if (format === null || type.toLowerCase().includes("grpc")) {
      return errorResponse(
        415,
        `Unsupported Content-Type "${type}": expected application/x-protobuf, ` +
          `application/protobuf or application/json`,
      );
    }
    let body: Uint8Array;
    try {
      // Fluent Bit's OTLP input inflates gzip and zstd; deflate is refused (415).
      body = await readBody(request, { limit: s.bodyLimit, codings: ["gzip", "zstd"] });
    } catch (e) {
      if (e instanceof HttpError) {
        return errorResponse(e.status, e.message, { format, headers: e.headers });
      }
      throw e;
    }
    let chunks: Chunk[];
    try {
      chunks = this.#decode(signal, body, format);
    } catch (e) {
      const message = e instanceof InvalidPayload
        ? e.message
        : `Cannot decode the ${signal} request as ${format}: ${errorMessage(e)}`;
      this.#ctx.log.debug(`rejected a ${signal} request: ${message}`);
      return errorResponse(400, message, { format });
    }
    if (chunks.length > 0) {
      const accepted = this.#queue.offer(chunks, body.byteLength);
      if (accepted === null) {
        return this.#unavailable("The input's ingress queue is full: retry later", format);
      }
      if (!await accepted) {
        return this.#unavailable("The pipeline did not take the request: retry later", format);
      }
    }
    return successResponse(s.successCode, { signal, format });
  }

  #tag(signal: Signal): string {
    return this.settings.tagFromUri ? `v1_${signal}` : this.#ctx.tag;
  }

  #decode(signal: Signal, body: Uint8Array, format: OtlpFormat): Chunk[] {
    const s = this.settings;
    const ctx = this.#ctx;
    const bytes = body.byteLength * MEMORY_FACTOR[format];
    const tag = this.#tag(signal);
    if (signal === "traces") {
      if (s.rawTraces) {
        const trace = format === "json" ? new TextDecoder().decode(body) : body;
        return [ctx.chunk([{ time: EventTime.now(), metadata: {}, body: { trace } }], {
          tag,
          bytes,
        })];
      }
      // The body is this request's own (read or inflated for it): spans may keep views of it.
      const spans = decodeTraces(body, format, { ownsBody: true });
      invalidIf(validateSpans(spans, { limit: 5 }));
      return spans.length === 0 ? [] : [ctx.signalChunk("traces", spans, { tag, bytes })];
    }
    if (signal === "metrics") {
      const metrics = decodeMetrics(body, format);
      invalidIf(validateMetrics(metrics, { limit: 5 }));
      return metrics.length === 0 ? [] : [ctx.signalChunk("metrics", metrics, { tag, bytes })];
    }
    const records = decodeLogs(body, format, s.layout);
    invalidIf(validateLogs(records, { limit: 5, metadataKey: s.layout.metadataKey }));
    if (records.length === 0) return [];
    if (s.tagKey === undefined) return [ctx.chunk(records, { tag, bytes })];
    const parts = splitByTagKey(records, { accessor: s.tagKey, fallback: tag });
    return parts.map((p) =>
      ctx.chunk(p.records, {
        tag: p.tag,
        bytes: Math.ceil(bytes * p.records.length / records.length),
      })
    );
  }
}

function invalidIf(problems: string[]): void {
  if (problems.length > 0) throw new InvalidPayload(`Invalid request: ${problems.join("; ")}`);
}
