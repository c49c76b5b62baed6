/**
 * The es output's stage (also the opensearch output's): each chunk becomes one `_bulk`
 * request over the shared HTTP client; the answer is judged item by item, so only the
 * items that failed are retried and those Elasticsearch refused are dead-lettered with its
 * reason (PartialWriteError), where Fluent Bit keeps or loses the whole request.
 */
import {
  PartialWriteError,
  PermanentError,
  type RejectedRecord,
  RetryableError,
} from "../../../src/engine/errors.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import {
  answerHeader,
  compress,
  createHttpClient,
  type HttpAnswer,
  type HttpClient,
  parseRetryAfter,
  snippet,
} from "../../../src/net/http_client/mod.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import { awsSigner, type RequestSigner } from "./aws.ts";

export type { RequestSigner };
import { BulkEncoder } from "./bulk.ts";
import type { EsOptions } from "./options.ts";
import { errorReason, judgeBulkAnswer } from "./response.ts";
import { bulkSettings, target } from "./settings.ts";

/** A running es output, with its client (for tests). */
export interface EsOutput extends OutputInstance {
  client: HttpClient;
  /** The URL of the bulk endpoint. */
  url: string;
}

/** What differs between the es and opensearch outputs. */
export interface EsFlavour {
  /** The service's name in messages: Elasticsearch or OpenSearch. */
  service: string;
}

const dec = new TextDecoder();

/** The reason in an error answer's JSON body (`{"error":{...},"status":N}`), or its text. */
function answerReason(answer: HttpAnswer): string {
  const text = dec.decode(answer.body);
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (parsed && typeof parsed === "object" && parsed.error !== undefined) {
      const e = parsed.error as { root_cause?: unknown[] };
      return errorReason(Array.isArray(e.root_cause) && e.root_cause[0] ? e.root_cause[0] : e);
    }
  } catch {
    // not JSON
  }
  return snippet(text) || "no body";
}

/** The error of an answer other than 200/201. */
function statusError(answer: HttpAnswer, where: string, service: string): Error {
  const status = answer.status;
  const reason = answerReason(answer);
  const message = `${where} answered HTTP ${status}: ${reason}`;
  if (status === 401) {
    return new PermanentError(
      `${message}: ${service} refused the credentials; check http_user/http_passwd, ` +
        "http_api_key, cloud_auth or the AWS credentials",
      { status },
    );
  }
  if (status === 403) {
    return new PermanentError(`${message}: the user may not write to this index`, { status });
  }
  if (status === 408 || status === 429 || status >= 500 || status < 400) {
    return new RetryableError(message, {
      status,
      retryAfter: parseRetryAfter(answerHeader(answer, "retry-after")),
    });
  }
  const hint = /_type/.test(reason) ? " (set suppress_type_name on for version 8 and later)" : "";
  return new PermanentError(`${message}${hint}`, { status });
}

/** An es output instance for parsed `options`. */
export function createEsOutput(
  o: EsOptions,
  ctx: PluginContext,
  flavour: EsFlavour = { service: "Elasticsearch" },
): EsOutput {
  if (o.aws_auth && !o.aws_region) {
    throw new OptionError("aws_region", 'Cannot use "aws_auth" on without "aws_region"');
  }
  const settings = bulkSettings(o, ctx);
  const encoder = new BulkEncoder(settings);
  const t = target(o);
  const client = createHttpClient(
    {
      ...o,
      host: t.host,
      port: t.port,
      tls: t.tls,
      http_user: t.user?.[0],
      http_passwd: t.user?.[1],
      compress: o.compress,
      "http.response_timeout": 60,
    },
    ctx,
    { compressions: ["gzip"] },
  );
  const signer: RequestSigner | undefined = o.aws_auth ? awsSigner(o) : undefined;
  const where = client.url(t.path);
  // The whole answer is read: every item's status is needed to judge it (buffer_size is
  // accepted; filter_path keeps answers small).
  const maxBody = Number.MAX_SAFE_INTEGER;

  async function send(body: Uint8Array): Promise<HttpAnswer> {
    const kind = client.settings.compression;
    const wire = kind ? await compress(kind, body) : body;
    const headers: Record<string, string> = { "Content-Type": "application/x-ndjson" };
    if (t.apiKey) headers["Authorization"] = t.apiKey;
    if (signer) {
      Object.assign(
        headers,
        await signer({ method: "POST", host: client.target, path: t.path, headers, body: wire }),
      );
    }
    return client.send({
      path: t.path,
      body: wire,
      headers,
      readBody: true,
      maxBodyBytes: maxBody,
    });
  }

  return {
    client,
    url: where,
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") return;
      const bulk = encoder.encode(chunk.records, chunk.tag, EventTime.now());
      for (const w of bulk.warnings) ctx.log.once("warn", w, w);
      const refused: RejectedRecord[] = [...bulk.refused];
      if (bulk.items.length === 0) {
        if (refused.length > 0) {
          throw new PartialWriteError(`${refused.length} records cannot be written`, {
            rejected: refused,
          });
        }
        return;
      }
      if (o.trace_output) console.log(dec.decode(bulk.body));
      const answer = await send(bulk.body);
      if (answer.status !== 200 && answer.status !== 201) {
        const err = statusError(answer, where, flavour.service);
        if (signer && (answer.status === 401 || answer.status === 403) && expired(answer)) {
          // Temporary keys ran out: fetch fresh ones and send again.
          signer.invalidate?.();
          throw new RetryableError(`${err.message} (refreshing the AWS credentials)`, {
            status: answer.status,
          });
        }
        if (o.trace_error) ctx.log.error(`${err.message}\nrequest:\n${traceText(bulk.body)}`);
        throw err;
      }
      const text = dec.decode(answer.body);
      const verdict = judgeBulkAnswer(text, bulk.items.length, settings.action);
      if (verdict.kind === "unreadable") {
        throw new RetryableError(`${where}: ${verdict.detail}`);
      }
      if (verdict.kind === "delivered" && refused.length === 0) return;
      const retry = verdict.kind === "items" ? verdict.retry.map((i) => bulk.items[i]!) : [];
      if (verdict.kind === "items") {
        for (const r of verdict.refused) {
          refused.push({ index: bulk.items[r.item]!, reason: r.reason, status: r.status });
        }
        if (verdict.conflicts > 0) {
          ctx.log.debug(
            `${verdict.conflicts} documents already existed (409 on create): delivered`,
          );
        }
        if (o.trace_error) ctx.log.error(`bulk errors from ${where}:\n${text}`);
      }
      if (retry.length === 0 && refused.length === 0) return;
      throw new PartialWriteError(
        `${flavour.service} bulk answer: ${retry.length} items to retry, ${refused.length} refused`,
        { retry, rejected: refused },
      );
    },
    close(): Promise<void> {
      client.close();
      signer?.close?.();
      return Promise.resolve();
    },
  };
}

/** True when an AWS answer says the security token expired. */
function expired(answer: HttpAnswer): boolean {
  return /expired/i.test(dec.decode(answer.body));
}

function traceText(body: Uint8Array): string {
  return body.byteLength < 4000 ? dec.decode(body) : `(${body.byteLength} bytes)`;
}
