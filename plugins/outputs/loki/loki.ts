/**
 * The loki output's stage: each chunk becomes one JSON push per tenant to
 * `http(s)://host:port/loki/api/v1/push` over the shared HTTP client; Loki's answer
 * decides, per record, delivered, refused (dead-lettered with Loki's reason) or retried.
 */
import { PartialWriteError, PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import { errorMessage } from "../../../src/error_message.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import { compileAccessor } from "../../../src/event/record_accessor.ts";
import {
  compress,
  createHttpClient,
  type HttpClient,
  normalizePath,
  parseRetryAfter,
} from "../../../src/net/http_client/mod.ts";
import { judgeAnswer, type Verdict } from "./answer.ts";
import { compileLine, parseDropSingleKey } from "./line.ts";
import { loadLabelMap } from "./label_map.ts";
import type { LokiOptions } from "./options.ts";
import { compilePairs, isDynamic, type Pair } from "./pairs.ts";
import { buildRequests, type LokiRequest, type PayloadPlan } from "./payload.ts";

/** A running loki output (the client and URL for tests). */
export interface LokiOutput extends OutputInstance {
  client: HttpClient;
  url: string;
}

function accessorOption(items: readonly string[], option: string): void {
  for (const item of items) {
    if (!item.startsWith("$")) {
      throw new OptionError(
        option,
        `Cannot use ${JSON.stringify(item)}: the name must start with "$"`,
      );
    }
  }
}

/** The payload plan of `options` (labels, metadata, line); throws OptionError. */
export async function lokiPlan(options: LokiOptions, ctx: PluginContext): Promise<PayloadPlan> {
  accessorOption(options.label_keys, "label_keys");
  accessorOption(options.structured_metadata_map_keys, "structured_metadata_map_keys");
  const metadata = compilePairs(options.structured_metadata, "structured_metadata");
  const maps = compilePairs(options.structured_metadata_map_keys, "structured_metadata_map_keys");
  const labels = compilePairs(options.labels, "labels");
  const keys = compilePairs(options.label_keys, "label_keys");
  const labelPairs: Pair[] = [...labels.pairs, ...keys.pairs];
  const read = [...metadata.read, ...maps.read, ...labels.read, ...keys.read];
  if (options.label_map_path) {
    const mapped = await loadLabelMap(options.label_map_path);
    labelPairs.push(...mapped.pairs);
    read.push(...mapped.read);
  }
  const drop = parseDropSingleKey(options.drop_single_key);
  if (drop === undefined) {
    throw new OptionError(
      "drop_single_key",
      `invalid 'drop_single_key' value: ${JSON.stringify(options.drop_single_key)}: ` +
        "expected on, off or raw",
    );
  }
  const remove = [...read];
  for (const k of options.remove_keys) {
    const p = k.startsWith("$") ? k : `$${k}`;
    if (!remove.includes(p)) remove.push(p);
  }
  let tenantKey;
  if (options.tenant_id_key) {
    try {
      tenantKey = compileAccessor(options.tenant_id_key);
    } catch (e) {
      throw new OptionError("tenant_id_key", errorMessage(e));
    }
  }
  let warned = false;
  return {
    labels: labelPairs,
    kubernetesLabels: options.auto_kubernetes_labels,
    metadata: metadata.pairs,
    metadataMaps: maps.pairs.flatMap((p) => p.kind === "record" ? p.value.accessors : []),
    withMetadata: options.structured_metadata.length + options.structured_metadata_map_keys.length >
      0,
    staticLabels: !isDynamic(labelPairs) && !isDynamic(metadata.pairs) && maps.pairs.length === 0 &&
      !options.auto_kubernetes_labels && !options.label_map_path,
    line: compileLine({
      format: options.line_format,
      dropSingleKey: drop,
      remove,
      convertNanToNull: ctx.settings.jsonConvertNanToNull,
      escapeUnicode: ctx.settings.jsonEscapeUnicode,
    }),
    tenantId: options.tenant_id,
    tenantKey,
    escapeUnicode: ctx.settings.jsonEscapeUnicode,
    warn: (m) => {
      if (!warned) ctx.log.warn(m);
      warned = true;
    },
  };
}

/** A loki output instance for parsed `options`. */
export async function createLokiOutput(
  options: LokiOptions,
  ctx: PluginContext,
): Promise<LokiOutput> {
  if (options.http_user !== undefined && options.bearer_token !== undefined) {
    ctx.log.warn('both "http_user" and "bearer_token" are set: Basic authentication is used');
  }
  const plan = await lokiPlan(options, ctx);
  const client = createHttpClient({ ...options, compress: undefined }, ctx, {
    compressions: ["gzip"],
    bearerToken: options.http_user ? undefined : options.bearer_token,
  });
  const gzip = options.compress === "gzip";
  const path = normalizePath(options.uri);

  async function push(request: LokiRequest): Promise<Verdict> {
    const body = gzip ? await compress("gzip", request.body) : request.body;
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (gzip) headers["Content-Encoding"] = "gzip";
    if (request.tenant !== undefined) headers["X-Scope-OrgID"] = request.tenant;
    try {
      const answer = await client.send({
        path,
        body,
        headers,
        readBody: true,
        maxBodyBytes: Math.max(4096, options.buffer_size),
      });
      const after = answer.headers["retry-after"];
      return judgeAnswer(request, {
        status: answer.status,
        body: new TextDecoder().decode(answer.body),
        retryAfter: parseRetryAfter(Array.isArray(after) ? after[0] : after),
      });
    } catch (e) {
      if (e instanceof PermanentError) {
        const reason = e.message;
        return {
          rejected: request.indexes.map((index) => ({ index, reason, status: 0 })),
          message: reason,
        };
      }
      return { retry: [...request.indexes], message: errorMessage(e) };
    }
  }

  return {
    client,
    url: client.url(path),
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") return;
      const records = chunk.records as readonly LogRecord[];
      const requests = buildRequests(plan, chunk.tag, records);
      const verdicts: Verdict[] = [];
      for (const r of requests) verdicts.push(await push(r));
      const retry = verdicts.flatMap((v) => v.retry ?? []);
      const rejected = verdicts.flatMap((v) => v.rejected ?? []);
      if (retry.length === 0 && rejected.length === 0) return;
      const messages = [...new Set(verdicts.flatMap((v) => v.message ? [v.message] : []))];
      const message = `${client.target}: ${messages.join("; ")}`;
      const sent = requests.reduce((n, r) => n + r.indexes.length, 0);
      const retryAfter = Math.max(0, ...verdicts.map((v) => v.retryAfter ?? 0)) || undefined;
      if (retry.length === sent && records.length === sent) {
        throw new RetryableError(message, { retryAfter });
      }
      if (rejected.length === sent && records.length === sent && requests.length === 1) {
        throw new PermanentError(message, { status: rejected[0]!.status || undefined });
      }
      throw new PartialWriteError(message, {
        retry,
        retryAfter,
        rejected: rejected.map((r) => ({ ...r, status: r.status || undefined })),
      });
    },
    close(): Promise<void> {
      client.close();
      return Promise.resolve();
    },
  };
}
