/**
 * The opentelemetry output's settings, derived once from its options: the receiver's
 * origin, headers (user headers, basic auth), TLS client, encoding and log mapping.
 * Unsupported transports (gRPC, zstd, SigV4, OAuth2) are refused here, so
 * `sluice validate` reports them.
 */
import { OptionError } from "../../../src/plugin.ts";
import { errorMessage } from "../../../src/error_message.ts";
import type { Signal } from "../../../src/event/chunk.ts";
import { logMapping } from "./log_mapping.ts";
import type { OtlpOutputOptions } from "./options.ts";
import type { EncodeSettings } from "./requests.ts";
import type { SenderSettings } from "./sender.ts";

/** sluice's request time limit when `net.io_timeout` is 0, in seconds. */
const DEFAULT_TIMEOUT_SECONDS = 60;

/** Everything the output needs. */
export interface OutputSettings {
  sender: SenderSettings;
  encode: EncodeSettings;
  uris: Record<Signal, string>;
  /** Notes for the log (settings accepted but without effect). */
  warnings: string[];
}

function readPem(key: string, path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    throw new OptionError(key, `Cannot read "${key}" ${JSON.stringify(path)}: ${errorMessage(e)}`);
  }
}

/** Splits `Name value` (header, add_label) at the first run of spaces. */
export function splitPair(key: string, raw: string): [string, string] {
  const m = /^\s*(\S+)\s+(.*?)\s*$/.exec(raw);
  if (!m) {
    throw new SyntaxError(`Cannot parse "${key}" ${JSON.stringify(raw)}: expected "name value"`);
  }
  return [m[1], m[2]];
}

function refuse(on: boolean, what: string): void {
  if (on) throw new RangeError(`Cannot use ${what}: not supported by sluice`);
}

function httpClient(o: OtlpOutputOptions): Deno.HttpClient | undefined {
  const opts: Deno.CreateHttpClientOptions & { cert?: string; key?: string } = {};
  let custom = false;
  if (o["tls.ca_file"]) {
    opts.caCerts = [readPem("tls.ca_file", o["tls.ca_file"])];
    custom = true;
  }
  if (o["tls.crt_file"] || o["tls.key_file"]) {
    if (!o["tls.crt_file"] || !o["tls.key_file"]) {
      throw new RangeError(
        `Cannot use a client certificate: set both "tls.crt_file" and "tls.key_file"`,
      );
    }
    opts.cert = readPem("tls.crt_file", o["tls.crt_file"]);
    opts.key = readPem("tls.key_file", o["tls.key_file"]);
    custom = true;
  }
  if (o.proxy) {
    opts.proxy = { url: o.proxy };
    custom = true;
  }
  if (o.http2 === "off") opts.http2 = false;
  if (o.http2 === "force") opts.http1 = false;
  if (o.http2 !== "on") custom = true;
  if (o["net.source_address"]) {
    opts.localAddress = o["net.source_address"];
    custom = true;
  }
  opts.poolIdleTimeout = Math.max(1, o["net.keepalive_idle_timeout"]) * 1000;
  return custom ? Deno.createHttpClient(opts) : undefined;
}

/** Derives the settings; throws RangeError or SyntaxError for unusable options. */
export function outputSettings(o: OtlpOutputOptions): OutputSettings {
  refuse(o.grpc, `"grpc" on (OTLP/gRPC)`);
  refuse(o.compress === "zstd", `"compress" zstd`);
  refuse(o.aws_auth, `"aws_auth" (SigV4)`);
  refuse(o["oauth2.enable"], `"oauth2.enable"`);
  refuse(Boolean(o["tls.key_passwd"]), `"tls.key_passwd" (decrypt the key file instead)`);
  const warnings: string[] = [];
  if (!o["tls.verify"]) {
    warnings.push(
      `"tls.verify" off is not supported: certificates are verified; ` +
        `set "tls.ca_file" to trust a private CA`,
    );
  }
  const headers: [string, string][] = o.header.map((h) => splitPair("header", h));
  if (o.http_user !== undefined && o.http_user !== "") {
    const token = btoa(String.fromCharCode(
      ...new TextEncoder().encode(`${o.http_user}:${o.http_passwd}`),
    ));
    headers.push(["authorization", `Basic ${token}`]);
  }
  const labels: Record<string, string> = {};
  for (const l of o.add_label) {
    const [k, v] = splitPair("add_label", l);
    labels[k] = v;
  }
  const host = o.host.includes(":") && !o.host.startsWith("[") ? `[${o.host}]` : o.host;
  const timeout = o["net.io_timeout"] > 0 ? o["net.io_timeout"] : DEFAULT_TIMEOUT_SECONDS;
  const mapping = logMapping(o);
  const client = httpClient(o);
  return {
    sender: {
      origin: `${o.tls ? "https" : "http"}://${host}:${o.port}`,
      format: o.format,
      gzip: o.compress === "gzip",
      headers,
      timeoutMs: timeout * 1000,
      logPayload: o.log_response_payload,
      client,
    },
    encode: {
      format: o.format,
      limits: {
        batchSize: o.batch_size,
        maxResources: Math.max(0, o.logs_max_resources),
        maxScopes: Math.max(0, o.logs_max_scopes),
      },
      mapping,
      labels,
    },
    uris: { logs: o.logs_uri, metrics: o.metrics_uri, traces: o.traces_uri },
    warnings,
  };
}
