/**
 * One scrape of a target over the shared HTTP client: `GET metrics_path`, the body bounded
 * by `buffer_max_size`, parsed as the text format or OpenMetrics by its Content-Type (or its
 * `# EOF`). Failures are values, not throws, so the input logs and counts them and goes on.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { parsePrometheusText, type ParseResult } from "../../../src/metrics/prometheus/parse.ts";
import type { HttpClient } from "../../../src/net/http_client/mod.ts";

/** What one scrape gave. */
export type ScrapeOutcome =
  | { ok: true; parsed: ParseResult; bytes: number }
  | { ok: false; reason: string; message: string };

/** The Accept header: the text format first, OpenMetrics taken too. */
export const ACCEPT =
  "text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1";

const decoder = new TextDecoder();

/** Scrapes `path` of `client`'s target once. */
export async function scrapeOnce(
  client: HttpClient,
  options: { path: string; maxBytes: number; nowNs: () => bigint },
): Promise<ScrapeOutcome> {
  let answer;
  try {
    answer = await client.send({
      method: "GET",
      path: options.path,
      body: new Uint8Array(0),
      headers: { Accept: ACCEPT },
      readBody: true,
      maxBodyBytes: options.maxBytes + 1,
    });
  } catch (e) {
    return {
      ok: false,
      reason: "connection",
      message: `could not scrape ${client.target}: ${errorMessage(e)}`,
    };
  }
  if (answer.status !== 200) {
    return {
      ok: false,
      reason: "status",
      message: `http status code error: [${options.path}] ${answer.status}`,
    };
  }
  if (answer.body.byteLength > options.maxBytes) {
    return {
      ok: false,
      reason: "too_large",
      message: `response of ${client.target}${options.path} is larger than buffer_max_size ` +
        `(${options.maxBytes} bytes): raise buffer_max_size`,
    };
  }
  if (answer.body.byteLength === 0) {
    return { ok: false, reason: "empty", message: "empty response" };
  }
  const type = answer.headers["content-type"];
  const contentType = (Array.isArray(type) ? type[0] : type) ?? "";
  const text = decoder.decode(answer.body);
  const openMetrics = contentType.includes("openmetrics") ? true : undefined;
  const parsed = parsePrometheusText(text, { nowNs: options.nowNs(), openMetrics });
  return { ok: true, parsed, bytes: answer.body.byteLength };
}
