/**
 * The stackdriver output's stage: each chunk becomes one `entries:write` request to Cloud
 * Logging with a Bearer token (service account JWT flow or the metadata server). A 401 drops
 * the token and retries with a fresh one; a partial answer (`WriteLogEntriesPartialErrors`)
 * dead-letters the refused entries with Google's reason and retries only the transient ones.
 */
import {
  PartialWriteError,
  PermanentError,
  type RejectedRecord,
  RetryableError,
} from "../../../src/engine/errors.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { escapeJsonText } from "../../../src/event/json_text.ts";
import {
  answerHeader,
  answerJson,
  compress,
  createUrlClient,
  type HttpAnswer,
  parseRetryAfter,
  snippet,
} from "../../../src/net/http_client/mod.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import { resolveAccount } from "./credentials.ts";
import { buildEntries, type EntrySettings } from "./entries.ts";
import { metadataGet } from "./metadata.ts";
import { StackdriverMetrics } from "./metrics.ts";
import type { StackdriverOptions } from "./options.ts";
import { checkResource, type ResourceFacts, resourceOf } from "./resource.ts";
import { TokenSource } from "./token.ts";

const dec = new TextDecoder();
const enc = new TextEncoder();

/** gRPC codes of a partial error worth another try. */
const TRANSIENT = new Set([4, 8, 10, 13, 14]);

/** The endpoint of `url` with the output's TLS and net settings (it compresses by itself). */
function endpointOf(key: string, url: string, o: StackdriverOptions, ctx: PluginContext) {
  return createUrlClient(key, url, { ...o, compress: undefined }, ctx);
}

/** A running stackdriver output, with the URL it writes to. */
export interface StackdriverOutput extends OutputInstance {
  url: string;
}

/** A stackdriver output for parsed `o`. */
export function createStackdriverOutput(
  o: StackdriverOptions,
  ctx: PluginContext,
): StackdriverOutput {
  const resourceLabels = checkResource(o, (m) => ctx.log.warn(m));
  const account = resolveAccount(o);
  if (!account.privateKey) {
    ctx.log.warn(
      `private_key is not defined, fetching the token of "${account.email}" from the metadata server`,
    );
  }
  const metadataUrl = o.metadata_server ?? envValue("METADATA_SERVER") ??
    "http://metadata.google.internal";
  const metadata = endpointOf("metadata_server", metadataUrl, o, ctx);
  const api = endpointOf("cloud_logging_base_url", o.cloud_logging_base_url, o, ctx);
  const tokenEndpoint = account.privateKey
    ? endpointOf("google_service_credentials", account.tokenUri, o, ctx)
    : metadata;
  const tokens = account.privateKey
    ? new TokenSource({
      kind: "service_account",
      email: account.email,
      privateKey: account.privateKey,
      tokenUri: account.tokenUri,
    }, tokenEndpoint)
    : new TokenSource({ kind: "metadata", email: account.email }, metadata);
  const gzip = o.compress === "gzip";
  const labels: [string, string][] = o.labels.map((l) => {
    const i = l.indexOf("=");
    if (i <= 0) {
      throw new OptionError(
        "labels",
        `Cannot parse "labels" entry ${JSON.stringify(l)}: expected key=value`,
      );
    }
    return [l.slice(0, i).trim(), l.slice(i + 1).trim()];
  });
  const stats = new StackdriverMetrics(ctx.metrics, ctx.name);
  const path = `${api.path}/v2/entries:write`;
  const url = api.client.url(path);
  let facts: ResourceFacts | undefined;
  /** The entries' settings, made once the project is known. */
  let settings: EntrySettings | undefined;

  async function meta(what: string): Promise<string> {
    const a = await metadataGet(metadata, what);
    if (a.status !== 200) {
      throw new RetryableError(
        `Cannot read ${what} from the metadata server ${metadataUrl}: HTTP ${a.status}`,
      );
    }
    return dec.decode(a.body).trim();
  }

  async function resourceFacts(): Promise<ResourceFacts> {
    if (facts) return facts;
    let project = account.projectId;
    if (!project && !account.privateKey) {
      project = await meta("project/project-id").catch((e) => {
        if (o.export_to_project_id) return o.export_to_project_id;
        throw e;
      }) || undefined;
    }
    project ??= o.export_to_project_id;
    if (!project) {
      throw new PermanentError(
        "Cannot write to Cloud Logging: no project (set google_service_credentials with a " +
          "project_id, export_to_project_id, or use the metadata server)",
      );
    }
    const f: ResourceFacts = { project, resourceLabels };
    if (o.resource === "gce_instance") {
      f.zone = (await meta("instance/zone")).split("/").pop();
      f.instanceId = await meta("instance/id");
    }
    facts = f;
    return f;
  }

  return {
    url,
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") return;
      const f = await resourceFacts();
      settings ??= {
        project: o.export_to_project_id ?? f.project,
        severityKey: o.severity_key,
        traceKey: o.trace_key,
        spanIdKey: o.span_id_key,
        traceSampledKey: o.trace_sampled_key,
        logNameKey: o.log_name_key,
        projectIdKey: o.project_id_key,
        labelsKey: o.labels_key,
        httpRequestKey: o.http_request_key,
        labels,
        autoformatTrace: o.autoformat_stackdriver_trace,
        textPayloadKey: o.text_payload_key,
        k8s: o.resource.startsWith("k8s_"),
      };
      const built = buildEntries(chunk.records, chunk.tag, settings);
      const rejected: RejectedRecord[] = [...built.refused];
      const resource = resourceOf(o, f, chunk.records, chunk.tag);
      if ("error" in resource) {
        throw new PermanentError(`Cannot write a ${o.resource} resource: ${resource.error}`);
      }
      if (built.entries.length === 0) {
        if (rejected.length > 0) {
          throw new PartialWriteError(`${rejected.length} records cannot be written`, { rejected });
        }
        return;
      }
      const text = JSON.stringify({ partialSuccess: true, resource, entries: built.entries });
      const raw = enc.encode(escapeJsonText(text, ctx.settings.jsonEscapeUnicode));
      const body = gzip ? await compress("gzip", raw) : raw;
      const token = await tokens.get();
      const n = built.entries.length;
      let answer: HttpAnswer;
      try {
        answer = await api.client.send({
          path,
          body,
          headers: {
            "Content-Type": "application/json",
            Authorization: `Bearer ${token}`,
            ...(gzip ? { "Content-Encoding": "gzip" } : {}),
          },
          readBody: true,
        });
      } catch (e) {
        stats.request(0);
        stats.retried(n, 0);
        throw e;
      }
      const s = answer.status;
      stats.request(s);
      if (s >= 200 && s < 300) {
        stats.records(n, s, 0);
        if (rejected.length > 0) {
          throw new PartialWriteError(`${rejected.length} records cannot be written`, { rejected });
        }
        return;
      }
      const err = answerJson(answer).error as
        | { message?: string; status?: string; details?: unknown[] }
        | undefined;
      const reason = err
        ? [err.status, err.message].filter(Boolean).join(": ")
        : snippet(dec.decode(answer.body)) || "no body";
      const message = `${url} answered HTTP ${s}: ${reason}`;
      if (s === 401) {
        stats.retried(n, s);
        tokens.invalidate(); // expired or revoked: the retry gets a fresh token
        throw new RetryableError(`${message} (refreshing the access token)`, { status: s });
      }
      if (s === 408 || s === 429 || s >= 500) {
        stats.retried(n, s);
        throw new RetryableError(message, {
          status: s,
          retryAfter: parseRetryAfter(answerHeader(answer, "retry-after")),
        });
      }
      const partial = err?.details?.find((d) =>
        (d as { "@type"?: string })["@type"]?.endsWith("WriteLogEntriesPartialErrors")
      ) as { logEntryErrors?: Record<string, { code?: number; message?: string }> } | undefined;
      if (!partial?.logEntryErrors) {
        stats.records(n, s, 3);
        throw new PermanentError(message, { status: s });
      }
      const retry: number[] = [];
      for (const [k, v] of Object.entries(partial.logEntryErrors)) {
        const record = built.items[Number(k)];
        if (record === undefined) continue;
        if (TRANSIENT.has(v.code ?? 0)) retry.push(record);
        else {
          stats.records(1, s, v.code ?? 2);
          rejected.push({
            index: record,
            reason: `code ${v.code}: ${v.message ?? "no message"}`,
            status: s,
          });
        }
      }
      stats.records(n - retry.length - (rejected.length - built.refused.length), s, 0);
      stats.retried(retry.length, s);
      throw new PartialWriteError(
        `Cloud Logging refused ${rejected.length} entries, ${retry.length} to retry`,
        { retry, rejected },
      );
    },
    close(): Promise<void> {
      api.client.close();
      metadata.client.close();
      tokenEndpoint.client.close(); // the metadata client again without a key: a no-op
      return Promise.resolve();
    },
  };
}

function envValue(name: string): string | undefined {
  try {
    return Deno.env.get(name) || undefined;
  } catch {
    return undefined;
  }
}
