/**
 * The opentelemetry output's protocol settings, derived once from its options: the
 * encoding, the log mapping, the metric labels and the path per signal. Transports sluice
 * does not speak (forced HTTP/2 without gRPC, SigV4, OAuth2) are refused here, so
 * `sluice validate` reports them. Connection, TLS, headers and compression are the HTTP
 * client's (`src/net/http_client`).
 */
import type { Signal } from "../../../src/event/chunk.ts";
import { parseHeader } from "../../../src/net/http_client/mod.ts";
import { logMapping } from "./log_mapping.ts";
import type { OtlpOutputOptions } from "./options.ts";
import type { EncodeSettings } from "./requests.ts";

/** Everything the output needs besides its client. */
export interface OutputSettings {
  encode: EncodeSettings;
  uris: Record<Signal, string>;
}

function refuse(on: boolean, what: string): void {
  if (on) throw new RangeError(`Cannot use ${what}: not supported by sluice`);
}

/** Derives the settings; throws RangeError or SyntaxError for unusable options. */
export function outputSettings(o: OtlpOutputOptions): OutputSettings {
  refuse(
    o.http2 === "force" && !o.grpc,
    `"http2" force without "grpc" (OTLP/HTTP is sent over HTTP/1.1; grpc on speaks HTTP/2)`,
  );
  if (o.grpc && o.format === "json") {
    throw new RangeError(`Cannot use "format" json with "grpc" on: OTLP/gRPC is protobuf`);
  }
  refuse(o.aws_auth, `"aws_auth" (SigV4)`);
  refuse(o["oauth2.enable"], `"oauth2.enable"`);
  const labels: Record<string, string> = {};
  for (const l of o.add_label) {
    const [k, v] = parseHeader(l, "add_label");
    labels[k] = v;
  }
  return {
    encode: {
      format: o.format,
      limits: {
        batchSize: o.batch_size,
        maxResources: Math.max(0, o.logs_max_resources),
        maxScopes: Math.max(0, o.logs_max_scopes),
      },
      mapping: logMapping(o),
      labels,
    },
    uris: { logs: o.logs_uri, metrics: o.metrics_uri, traces: o.traces_uri },
  };
}
