/**
 * Requests to AWS endpoints named by URL (STS, the ECS and EC2 metadata services, a
 * service endpoint) over sluice's HTTP client: one pooled {@link HttpClient} per origin.
 */
import { type HttpAnswer, HttpClient } from "../http_client/client.ts";
import { clientSettings } from "../http_client/factory.ts";

/** One request to a URL. */
export interface UrlRequest {
  /** The HTTP method; GET when omitted. */
  method?: string;
  /** Headers of the request (Host is set by the client). */
  headers?: Headers | Record<string, string>;
  /** The body; empty when omitted. */
  body?: Uint8Array;
  /** Longest wait for a connection, ms (default 10 s). */
  connectTimeoutMs?: number;
  /** Longest wait for the whole answer, ms (default 60 s). */
  responseTimeoutMs?: number;
}

/** Clients by origin, closed together. */
export class EndpointClients {
  #clients = new Map<string, HttpClient>();

  /** The client of `url`'s origin, made on first use. */
  client(url: URL, timeouts: { connectMs?: number; responseMs?: number } = {}): HttpClient {
    const key = `${url.origin} ${timeouts.connectMs ?? ""} ${timeouts.responseMs ?? ""}`;
    let client = this.#clients.get(key);
    if (!client) {
      const tls = url.protocol === "https:";
      const settings = clientSettings({
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: Number(url.port || (tls ? 443 : 80)),
        tls,
        // The metadata services (plain http, link-local or loopback) are never proxied.
        "net.proxy_env_ignore": !tls,
        "net.connect_timeout": (timeouts.connectMs ?? 10_000) / 1000,
        "http.response_timeout": (timeouts.responseMs ?? 60_000) / 1000,
      });
      client = new HttpClient(settings);
      this.#clients.set(key, client);
    }
    return client;
  }

  /**
   * Sends `req` to `url` and resolves with the answer (body read, up to 1 MiB), whatever its
   * status; throws RetryableError on a network failure.
   */
  async send(url: URL, req: UrlRequest = {}): Promise<HttpAnswer> {
    const client = this.client(url, {
      connectMs: req.connectTimeoutMs,
      responseMs: req.responseTimeoutMs,
    });
    const headers: Record<string, string> = {};
    const given = req.headers instanceof Headers
      ? req.headers.entries()
      : Object.entries(req.headers ?? {});
    for (const [name, value] of given) {
      if (name.toLowerCase() !== "host") headers[name] = value;
    }
    return await client.send({
      method: req.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      body: req.body ?? new Uint8Array(),
      headers,
      readBody: true,
      maxBodyBytes: 1 << 20,
    });
  }

  /** Closes every client. Safe to call twice. */
  close(): void {
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
  }
}

/** The body of `answer` as text. */
export function answerText(answer: HttpAnswer): string {
  return new TextDecoder().decode(answer.body);
}
