/**
 * The Kubernetes API client of the filter: `GET` of pods and namespaces on the API server,
 * or of `/pods` on the kubelet, through src/net's HTTP client and `getJsonObject` (TLS
 * with `kube_ca_file`, the bearer token of {@link TokenFile}, retried once after a 401 with
 * the file re-read), answers larger than `buffer_size` refused as Fluent Bit does.
 */
import {
  getJsonObject,
  HttpClient,
  type HttpClientSettings,
} from "../../../src/net/http_client/mod.ts";
import { tlsSettings } from "../../../src/net/tls.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { errorMessage } from "../../../src/error_message.ts";
import { VERSION } from "../../../src/version.ts";
import type { TokenFile } from "./token.ts";

/** Where an API lives. */
export interface ApiTarget {
  /** Connect with TLS. */
  tls: boolean;
  /** Host name or address. */
  host: string;
  /** Port. */
  port: number;
}

/**
 * The target of `kube_url`: `http://` or `https://`, a host and an optional port, which is
 * 443 when missing even for http (as in Fluent Bit); throws SyntaxError otherwise.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(parseKubeUrl("https://kubernetes.default.svc"), {
 *   tls: true,
 *   host: "kubernetes.default.svc",
 *   port: 443,
 * });
 * assertEquals(parseKubeUrl("http://127.0.0.1:8001/"), { tls: false, host: "127.0.0.1", port: 8001 });
 * ```
 */
export function parseKubeUrl(url: string): ApiTarget {
  const m = /^(https?):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/i.exec(url.trim());
  if (!m) {
    throw new SyntaxError(
      `Cannot use kube_url "${url}": expected http://host[:port] or https://host[:port]`,
    );
  }
  return { tls: m[1]!.toLowerCase() === "https", host: m[2]!, port: m[3] ? Number(m[3]) : 443 };
}

/** The outcome of one lookup. */
export type ApiAnswer =
  | { ok: true; json: RecordMap }
  | { ok: false; reason: string; status?: number; unreachable: boolean };

/** What the client needs. */
export interface ApiClientOptions {
  target: ApiTarget;
  /** `kube_ca_file`, `kube_ca_path`, `tls.*`. */
  caFile?: string;
  caPath?: string;
  verify: boolean;
  verifyHostname: boolean;
  vhost?: string;
  /** The token, or undefined to send none. */
  token?: TokenFile;
  /** `buffer_size`: most answer bytes (0 = no limit). */
  bufferSize: number;
  /** Longest one request may take, in ms. */
  timeoutMs: number;
  warn(msg: string): void;
}

const NO_LIMIT = 256 * 1024 * 1024;

/** A client of one API server or kubelet. */
export class ApiClient {
  #http: HttpClient;
  #options: ApiClientOptions;

  /** A client of `options.target`; connects on the first request. */
  constructor(options: ApiClientOptions) {
    this.#options = options;
    const t = options.target;
    let tls: HttpClientSettings["tls"];
    if (t.tls) {
      try {
        tls = tlsSettings({
          tls: true,
          "tls.verify": options.verify,
          "tls.verify_hostname": options.verifyHostname,
          ...(options.caFile ? { "tls.ca_file": options.caFile } : {}),
          ...(options.caPath ? { "tls.ca_path": options.caPath } : {}),
          ...(options.vhost ? { "tls.vhost": options.vhost } : {}),
        });
      } catch (e) {
        options.warn(`${errorMessage(e)}; trusting the system's CAs only`);
        tls = tlsSettings({ tls: true, "tls.verify": options.verify });
      }
    }
    this.#http = new HttpClient({
      host: t.host,
      port: t.port,
      ...(tls ? { tls } : {}),
      headers: [["User-Agent", `sluice/${VERSION}`], ["Accept", "application/json"]],
      connectTimeoutMs: Math.min(10_000, options.timeoutMs),
      ioTimeoutMs: 0,
      responseTimeoutMs: options.timeoutMs,
      keepalive: true,
      idleTimeoutMs: 30_000,
      maxRecycle: 0,
      maxConnections: 4,
    });
  }

  /** The JSON object at `path`, or why not (status, network failure, size, bad JSON). */
  async get(path: string): Promise<ApiAnswer> {
    let answer = await this.#once(path);
    if (!answer.ok && answer.status === 401 && this.#options.token) {
      this.#options.token.invalidate();
      answer = await this.#once(path);
    }
    return answer;
  }

  async #once(path: string): Promise<ApiAnswer> {
    const limit = this.#options.bufferSize > 0 ? this.#options.bufferSize : NO_LIMIT;
    const auth = this.#options.token?.header();
    let answer;
    try {
      answer = await getJsonObject(this.#http, path, {
        maxBytes: limit,
        ...(auth ? { headers: { Authorization: auth } } : {}),
      });
    } catch (e) {
      return { ok: false, reason: errorMessage(e), unreachable: true };
    }
    if (answer.ok) return { ok: true, json: answer.json as RecordMap };
    if (answer.status !== undefined) {
      const unreachable = answer.status >= 500 || answer.status === 429;
      return { ok: false, status: answer.status, reason: answer.reason, unreachable };
    }
    const reason = answer.tooLarge
      ? `the answer is larger than buffer_size (${limit} bytes); raise buffer_size or set 0`
      : answer.reason;
    return { ok: false, reason, unreachable: false };
  }

  /** Closes the connections. */
  close(): void {
    this.#http.close();
  }
}
