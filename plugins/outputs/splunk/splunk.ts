/**
 * The splunk output's stage: each chunk becomes one HEC request to
 * `/services/collector/event` over the shared HTTP client, authenticated with the HEC
 * token (or Basic auth, or the records' `hec_token` metadata from the splunk input);
 * HEC's answer decides what is delivered, refused with HEC's reason, or sent again.
 */
import { PartialWriteError, PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import { errorMessage } from "../../../src/error_message.ts";
import { escapeJsonText } from "../../../src/event/json_value.ts";
import {
  compress,
  createHttpClient,
  type HttpClient,
  parseRetryAfter,
} from "../../../src/net/http_client/mod.ts";
import { judgeHec } from "./answer.ts";
import { compileEvents, formatEvents } from "./events.ts";
import type { SplunkOptions } from "./options.ts";

/** A running splunk output. */
export interface SplunkOutput extends OutputInstance {
  client: HttpClient;
  url: string;
}

/** A splunk output instance for parsed `options`; throws OptionError. */
export function createSplunkOutput(options: SplunkOptions, ctx: PluginContext): SplunkOutput {
  if (!options.http_user && options.splunk_token === undefined) {
    throw new OptionError(
      "splunk_token",
      "either splunk_token or http_user should be set: add `splunk_token: <HEC token>`",
    );
  }
  let plan;
  try {
    plan = compileEvents({
      eventKey: options.event_key,
      host: options.event_host,
      source: options.event_source,
      sourcetype: options.event_sourcetype,
      sourcetypeKey: options.event_sourcetype_key,
      index: options.event_index,
      indexKey: options.event_index_key,
      fields: options.event_field,
      raw: options.splunk_send_raw,
      autoTime: options.auto_extract_timestamp,
      convertNanToNull: ctx.settings.jsonConvertNanToNull,
    });
  } catch (e) {
    const key = /event_field/.test(errorMessage(e)) ? "event_field" : "event_key";
    throw new OptionError(key, errorMessage(e));
  }
  // Fluent Bit 4.2.8: http_user means Basic auth (http_passwd defaults to "").
  const basic = Boolean(options.http_user);
  const client = createHttpClient(
    { ...options, compress: undefined, http_user: basic ? options.http_user : undefined },
    ctx,
  );
  const path = options.auto_extract_timestamp
    ? "/services/collector/event?auto_extract_timestamp=true"
    : "/services/collector/event";
  const gzip = options.compress === "gzip";
  const escape = ctx.settings.jsonEscapeUnicode;
  const enc = new TextEncoder();
  let metadataToken: string | undefined;

  return {
    client,
    url: client.url(path),
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") return;
      const records = chunk.records as readonly LogRecord[];
      for (const r of records) {
        const t = r.metadata.hec_token;
        if (typeof t === "string" && t !== "") metadataToken = t;
      }
      const events = formatEvents(plan, chunk.tag, records);
      if (events.indexes.length === 0) return;
      const text = escapeJsonText(events.text, escape);
      const raw = enc.encode(text);
      const body = gzip ? await compress("gzip", raw) : raw;
      const headers: Record<string, string> = {};
      if (!basic) {
        const auth = options.splunk_token !== undefined
          ? `Splunk ${options.splunk_token}`
          : metadataToken;
        if (auth) headers.Authorization = auth;
      }
      if (options.channel !== undefined) headers["X-Splunk-Request-Channel"] = options.channel;
      if (gzip) headers["Content-Encoding"] = "gzip";
      const answer = await client.send({
        path,
        body,
        headers,
        readBody: true,
        maxBodyBytes: Math.max(4096, options.http_buffer_size ?? 0),
      });
      const answerText = new TextDecoder().decode(answer.body);
      if (answer.status === 400 && options.http_debug_bad_request) {
        console.log(
          `[out_splunk] debug HTTP 400 (bad request)\n>>> request\n${text}\n\n` +
            `<<< response\n${answerText}\n`,
        );
      }
      const verdict = judgeHec(answer.status, answerText, events.indexes.length);
      const where = `${client.target}: `;
      switch (verdict.kind) {
        case "delivered":
          return;
        case "retry": {
          const after = answer.headers["retry-after"];
          throw new RetryableError(where + verdict.reason, {
            status: answer.status,
            retryAfter: parseRetryAfter(Array.isArray(after) ? after[0] : after),
          });
        }
        case "refused":
          throw new PermanentError(where + verdict.reason, { status: answer.status });
        case "partial": {
          const bad = events.indexes[verdict.delivered]!;
          throw new PartialWriteError(where + verdict.reason, {
            rejected: [{ index: bad, reason: verdict.reason, status: answer.status }],
            unsent: events.indexes.slice(verdict.delivered + 1),
            status: answer.status,
          });
        }
      }
    },
    close(): Promise<void> {
      client.close();
      return Promise.resolve();
    },
  };
}
