/**
 * The opentelemetry input's settings, derived from its options once at create time
 * (so `sluice validate` reports a missing certificate), without binding anything.
 */
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import { type HttpServerSettings, httpServerSettings } from "../../../src/net/http_server/mod.ts";
import type { LogLayoutOptions } from "../../../src/otlp/mod.ts";
import type { OtlpInputOptions } from "./options.ts";

/** What the request handler needs. */
export interface ReceiverSettings {
  /** Status of a successful export (200, 201 or 204). */
  successCode: number;
  /** Largest body, before and after inflating. */
  bodyLimit: number;
  /** Required credentials (bearer token, Basic), checked after the path. */
  auth: HttpServerSettings["auth"];
  tagFromUri: boolean;
  /** Reads a log record's tag from its body (`tag_key`). */
  tagKey?: RecordAccessor;
  rawTraces: boolean;
  layout: LogLayoutOptions;
  /** Requests that may wait for the engine. */
  queueEvents: number;
  /** Bytes that may wait for the engine. */
  queueBytes: number;
}

/** Everything the input needs, derived from its options. */
export interface InputSettings {
  receiver: ReceiverSettings;
  /** The listener; its auth is left to the receiver (OTLP answers 401 in its own encoding). */
  server: HttpServerSettings["server"];
  /** Serve OTLP/gRPC (HTTP/2) on the same port (`http2`, `http_server.http2`). */
  http2: boolean;
}

/** Derives the settings; throws RangeError or SyntaxError for unusable options. */
export function inputSettings(options: OtlpInputOptions): InputSettings {
  const http = httpServerSettings(options);
  const tagKey = options.tag_key ? compileAccessor(options.tag_key) : undefined;
  return {
    receiver: {
      successCode: options.successful_response_code,
      bodyLimit: http.bodyLimit,
      auth: http.auth,
      tagFromUri: options.tag_from_uri,
      tagKey,
      rawTraces: options.raw_traces,
      layout: { metadataKey: options.logs_metadata_key, bodyKey: options.logs_body_key },
      queueEvents: http.queue.events,
      queueBytes: http.queue.bytes,
    },
    server: { ...http.server, auth: undefined },
    http2: options.http2 && options["http_server.http2"],
  };
}
