/**
 * One OTLP/HTTP export request and the OTLP spec's verdict on its answer: 2xx delivered
 * (its `partial_success` returned), 429/502/503/504 and network failures retryable (with
 * the peer's Retry-After), every other status permanent.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { Signal } from "../../../src/event/chunk.ts";
import {
  decodeExportResponse,
  type ExportPartialSuccess,
  type OtlpFormat,
} from "../../../src/otlp/mod.ts";
import { VERSION } from "../../../src/version.ts";

/** Statuses the OTLP spec says to retry. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

const CONTENT_TYPE: Record<OtlpFormat, string> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

/** Where and how requests go. */
export interface SenderSettings {
  /** `http://host:port` or `https://host:port`. */
  origin: string;
  format: OtlpFormat;
  gzip: boolean;
  /** Extra headers (user headers and authorization), in order. */
  headers: [string, string][];
  /** Longest a request may take, in ms. */
  timeoutMs: number;
  /** Include the answer's body in error messages. */
  logPayload: boolean;
  /** A client with TLS or pool settings, when the defaults do not do. */
  client?: Deno.HttpClient;
}

/**
 * Seconds a Retry-After value asks for: delay-seconds or an HTTP date (relative to
 * `nowMs`); undefined when absent or unparsable.
 */
export function parseRetryAfter(
  value: string | null,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

async function gzip(body: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function snippet(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > 300 ? `${t.slice(0, 300)}...` : t;
}

/** Posts export requests to one receiver. */
export class OtlpSender {
  #s: SenderSettings;
  #closing = new AbortController();

  constructor(settings: SenderSettings) {
    this.#s = settings;
  }

  /** Cancels requests in flight and releases the client. Safe to call twice. */
  close(): void {
    this.#closing.abort();
    try {
      this.#s.client?.close();
    } catch {
      // already closed
    }
  }

  /**
   * Posts `body` to `path`; resolves with the answer's partial success (null when none),
   * throws RetryableError or PermanentError.
   */
  async post(
    path: string,
    body: Uint8Array,
    signal: Signal,
  ): Promise<ExportPartialSuccess | null> {
    const s = this.#s;
    const url = s.origin + path;
    const headers = new Headers({
      "content-type": CONTENT_TYPE[s.format],
      "user-agent": `sluice/${VERSION}`,
    });
    let payload = body;
    if (s.gzip) {
      payload = await gzip(body);
      headers.set("content-encoding", "gzip");
    }
    for (const [k, v] of s.headers) headers.append(k, v);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers,
        body: payload as Uint8Array<ArrayBuffer>,
        client: s.client,
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(s.timeoutMs)]),
      });
    } catch (e) {
      throw new RetryableError(`Cannot post to ${url}: ${errorMessage(e)}`, { cause: e });
    }
    let answer: Uint8Array;
    try {
      answer = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      throw new RetryableError(`Cannot read the answer of ${url}: ${errorMessage(e)}`, {
        status: response.status,
        cause: e,
      });
    }
    const status = response.status;
    if (status >= 200 && status < 300) return partialSuccess(answer, { signal, format: s.format });
    const detail = s.logPayload && answer.byteLength > 0
      ? `: ${snippet(new TextDecoder().decode(answer))}`
      : "";
    const message = `${url} answered HTTP ${status}${detail}`;
    if (RETRYABLE_STATUSES.has(status)) {
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      throw new RetryableError(message, { status, retryAfter });
    }
    throw new PermanentError(message, { status });
  }
}

function partialSuccess(
  answer: Uint8Array,
  options: { signal: Signal; format: OtlpFormat },
): ExportPartialSuccess | null {
  if (answer.byteLength === 0) return null;
  try {
    return decodeExportResponse(answer, options).partialSuccess;
  } catch {
    return null; // not an Export*ServiceResponse (a proxy's page): the status said success
  }
}
