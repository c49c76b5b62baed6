/**
 * The opentelemetry input's settings, derived from its options once at create time
 * (so `sluice validate` reports a missing certificate), without binding anything.
 */
import { OptionError } from "../../../src/plugin.ts";
import { errorMessage } from "../../../src/error_message.ts";
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import type { LogLayoutOptions } from "../../../src/otlp/mod.ts";
import type { OtlpInputOptions } from "./options.ts";

/** What the request handler needs. */
export interface ReceiverSettings {
  /** Status of a successful export (200, 201 or 204). */
  successCode: number;
  /** Largest body, before and after gunzip. */
  bodyLimit: number;
  /** Required bearer token, when set. */
  bearerToken?: string;
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

/** Where and how to listen. */
export interface ListenSettings {
  hostname: string;
  port: number;
  /** PEM certificate chain and key, when `tls` is on. */
  tls?: { cert: string; key: string };
}

/** Everything the input needs, derived from its options. */
export interface InputSettings {
  receiver: ReceiverSettings;
  listen: ListenSettings;
}

function readPem(key: string, path: string | undefined): string {
  if (path === undefined || path === "") {
    throw new OptionError(key, `Cannot serve TLS: "${key}" is required when "tls" is on`);
  }
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    throw new OptionError(key, `Cannot read "${key}" ${JSON.stringify(path)}: ${errorMessage(e)}`);
  }
}

/** Derives the settings; throws RangeError or SyntaxError for unusable options. */
export function inputSettings(options: OtlpInputOptions): InputSettings {
  if (options["tls.key_passwd"]) {
    throw new OptionError(
      "tls.key_passwd",
      `Cannot use "tls.key_passwd": decrypt the key file instead`,
    );
  }
  const tls = options.tls
    ? {
      cert: readPem("tls.crt_file", options["tls.crt_file"]),
      key: readPem("tls.key_file", options["tls.key_file"]),
    }
    : undefined;
  const tagKey = options.tag_key ? compileAccessor(options.tag_key) : undefined;
  return {
    receiver: {
      successCode: options.successful_response_code,
      bodyLimit: options["http_server.buffer_max_size"] ?? options.buffer_max_size,
      bearerToken: options["auth.bearer_token"] || undefined,
      tagFromUri: options.tag_from_uri,
      tagKey,
      rawTraces: options.raw_traces,
      layout: { metadataKey: options.logs_metadata_key, bodyKey: options.logs_body_key },
      queueEvents: Math.max(1, options["http_server.ingress_queue_event_limit"]),
      queueBytes: Math.max(1, options["http_server.ingress_queue_byte_limit"]),
    },
    listen: { hostname: options.host ?? options.listen, port: options.port, tls },
  };
}
