/**
 * A signed client of one AWS service endpoint: each request gets fresh SigV4 headers from
 * the current credentials; an answer saying the credentials expired (or are unknown, as
 * rotated keys are) makes it drop the cached credentials and send once more with new ones,
 * so the batch is not lost to a refresh.
 */
import { type HttpAnswer, HttpClient } from "../http_client/client.ts";
import { type ClientOptionValues, clientSettings } from "../http_client/factory.ts";
import type { CredentialProvider } from "./credentials.ts";
import { BAD_KEY_CODES, EXPIRED_CODES, readAwsError } from "./service_error.ts";
import { type SignOptions, signRequest } from "./sigv4.ts";
import { VERSION } from "../../version.ts";

/** How to reach and sign for one service. */
export interface ServiceClientOptions {
  /** The endpoint: `https://logs.us-east-1.amazonaws.com`, or `http://127.0.0.1:4566`. */
  endpoint: URL;
  /** The signing region. */
  region: string;
  /** The signing name: `logs`, `s3`, `es`. */
  service: string;
  /** Where keys come from. */
  credentials: CredentialProvider;
  /** The output's `tls.*` and `net.*` values for the connection. */
  client?: Partial<ClientOptionValues>;
  /** The User-Agent header; {@link AWS_USER_AGENT} when omitted. */
  userAgent?: string;
  /** Signing details of the service (S3's content hash header and path rules). */
  sign?: Pick<
    SignOptions,
    "contentSha256Header" | "normalizePath" | "uriEscapePath" | "unsignedPayload"
  >;
}

/** One request to the service. */
export interface ServiceRequest {
  /** The method; POST when omitted. */
  method?: string;
  /** Path and query, already encoded as they go on the wire. */
  target: string;
  /** Headers to send and sign. */
  headers?: Record<string, string>;
  /** The body as sent. */
  body: Uint8Array;
}

/** The user agent AWS requests carry. */
export const AWS_USER_AGENT = `aws-sluice/${VERSION}`;

/** A signed client of one endpoint. */
export class ServiceClient {
  /** The options the client was made with. */
  readonly options: ServiceClientOptions;
  /** `host:port`, for messages. */
  readonly target: string;
  #http: HttpClient;

  /** A client of `options.endpoint`; connects on the first request. */
  constructor(options: ServiceClientOptions) {
    this.options = options;
    const url = options.endpoint;
    const tls = url.protocol === "https:";
    const settings = clientSettings({
      ...options.client,
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: Number(url.port || (tls ? 443 : 80)),
      tls,
    });
    settings.headers = settings.headers.filter(([n]) => n.toLowerCase() !== "user-agent");
    this.#http = new HttpClient(settings);
    this.target = this.#http.target;
  }

  /**
   * Sends `req` signed and resolves with the answer (body read), whatever its status;
   * throws RetryableError on a network failure and the credential provider's errors.
   */
  async send(req: ServiceRequest): Promise<HttpAnswer> {
    let answer = await this.#once(req);
    if (answer.status >= 400 && answer.status < 500) {
      const { code } = readAwsError(answer);
      if (EXPIRED_CODES.has(code) || BAD_KEY_CODES.has(code)) {
        this.options.credentials.invalidate();
        answer = await this.#once(req);
      }
    }
    return answer;
  }

  async #once(req: ServiceRequest): Promise<HttpAnswer> {
    const credentials = await this.options.credentials.get();
    const url = new URL(req.target, this.options.endpoint);
    const headers = new Headers({
      "User-Agent": this.options.userAgent ?? AWS_USER_AGENT,
      ...req.headers,
    });
    const signed = await signRequest(
      { method: req.method ?? "POST", url, headers, body: req.body },
      {
        region: this.options.region,
        service: this.options.service,
        credentials,
        ...this.options.sign,
      },
    );
    const out: Record<string, string> = {};
    for (const [name, value] of signed) if (name !== "host") out[name] = value;
    return await this.#http.send({
      method: req.method ?? "POST",
      path: `${url.pathname}${url.search}`,
      body: req.body,
      headers: out,
      readBody: true,
      maxBodyBytes: 1 << 20,
    });
  }

  /** Closes the connections. Safe to call twice. */
  close(): void {
    this.#http.close();
  }
}
