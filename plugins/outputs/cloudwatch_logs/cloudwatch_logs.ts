/**
 * The cloudwatch_logs output's stage: each chunk's records go to their log streams in
 * PutLogEvents batches within the API's limits. What CloudWatch refuses
 * (rejectedLogEventsInfo: tooOld, tooNew, expired) and records that make no event (log_key
 * missing, empty) are dead-lettered with the reason; a stream or batch that failed in a way
 * worth retrying is retried alone, through the engine (PartialWriteError).
 */
import { PartialWriteError, PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import { errorMessage } from "../../../src/error_message.ts";
import type { Chunk, LogChunk, MetricChunk } from "../../../src/event/chunk.ts";
import { escapeJsonText, jsonValue } from "../../../src/event/json_value.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import { compileRecordTemplate } from "../../../src/event/record_template.ts";
import { type ClosableProvider, defaultCredentials } from "../../../src/net/aws/credentials.ts";
import { serviceEndpoint } from "../../../src/net/aws/endpoint.ts";
import { AWS_USER_AGENT, ServiceClient } from "../../../src/net/aws/service_client.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import { LogsApi, rejectedReasons } from "./api.ts";
import { API_LIMITS, type BatchLimits, splitBatches } from "./batches.ts";
import {
  type EmfOptions,
  type EventOptions,
  type LogEvent,
  toEvents,
  utf8Length,
} from "./events.ts";
import { metricDocuments } from "./emf_metrics.ts";
import type { CloudwatchOptions } from "./options.ts";
import { type StreamNaming, streamOf } from "./streams.ts";

/** Refuses option mixes Fluent Bit refuses; throws OptionError. */
export function checkCloudwatchOptions(o: CloudwatchOptions): void {
  if (o.log_stream_name === undefined && o.log_stream_prefix === undefined) {
    throw new OptionError(
      "log_stream_name",
      'Cannot send to CloudWatch: set "log_stream_name" or "log_stream_prefix"',
    );
  }
  if (o.log_stream_name !== undefined && o.log_stream_prefix !== undefined) {
    throw new OptionError(
      "log_stream_prefix",
      'Cannot use both "log_stream_name" and "log_stream_prefix": pick one',
    );
  }
}

function templateOf(key: string, text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    return compileRecordTemplate(text);
  } catch (e) {
    throw new OptionError(key, `Cannot use "${key}": ${errorMessage(e)}`);
  }
}

/** The short `reason` label of a refusal: tooOld, tooNew, expired, log_key, empty, refused. */
function reasonLabel(reason: string): string {
  const m = /\b(tooOld|tooNew|expired)\b/.exec(reason);
  if (m) return m[1]!;
  if (reason.startsWith("log_key")) return "log_key";
  if (reason.startsWith("empty")) return "empty";
  return "refused";
}

/** The events of one log stream. */
interface StreamEvents {
  group: string;
  stream: string;
  events: LogEvent[];
}

/** Extra knobs for tests: smaller batch limits. */
export interface CloudwatchInternals {
  limits?: BatchLimits;
}

/** A cloudwatch_logs output instance for parsed `options`. */
export function createCloudwatchOutput(
  o: CloudwatchOptions,
  ctx: PluginContext,
  internals: CloudwatchInternals = {},
): OutputInstance {
  checkCloudwatchOptions(o);
  const region = o.region ?? "";
  const naming: StreamNaming = {
    group: o.log_group_name ?? "",
    stream: o.log_stream_name,
    prefix: o.log_stream_prefix,
    groupTemplate: templateOf("log_group_template", o.log_group_template),
    streamTemplate: templateOf("log_stream_template", o.log_stream_template),
  };
  let endpoint: URL;
  try {
    endpoint = serviceEndpoint("logs", region, o.endpoint, o.port);
  } catch (e) {
    throw new OptionError("endpoint", errorMessage(e));
  }
  if (o.add_entity) ctx.log.warn("add_entity is not supported yet: entities are not sent");
  const credentials: ClosableProvider = defaultCredentials({
    region,
    roleArn: o.role_arn,
    externalId: o.external_id,
    stsEndpoint: o.sts_endpoint,
    profile: o.profile,
  });
  const client = new ServiceClient({
    endpoint,
    region,
    service: "logs",
    credentials,
    client: o,
    userAgent: o.extra_user_agent ? `${AWS_USER_AGENT} ${o.extra_user_agent}` : undefined,
  });
  const api = new LogsApi(client, {
    autoCreateGroup: o.auto_create_group,
    retentionDays: o.log_retention_days,
    groupClass: o.log_group_class,
    logFormat: o.log_format,
    autoRetry: o.auto_retry_requests,
  }, ctx.log);
  const dimensions = (o.metric_dimensions ?? "").split(";").map((l) =>
    l.split(",").map((d) => d.trim()).filter((d) => d !== "")
  ).filter((l) => l.length > 0);
  const truncated = ctx.metrics.counter(
    "sluice_cloudwatch_truncated_events_total",
    "Log events cut to CloudWatch's size limit.",
  );
  const rejectedMetric = ctx.metrics.counter(
    "sluice_cloudwatch_rejected_events_total",
    "Log events CloudWatch refused or that made no event, by reason.",
  );
  const labels = { name: ctx.name };
  truncated.touch(labels);

  function eventOptions(chunk: LogChunk): EventOptions {
    const plugin = chunk.input.split(".")[0] ?? "";
    const emf: EmfOptions | undefined = plugin.startsWith("cpu") || plugin.startsWith("mem")
      ? {
        namespace: o.metric_namespace,
        dimensions,
        input: plugin.startsWith("cpu") ? "cpu" : "mem",
      }
      : undefined;
    return {
      logKey: o.log_key,
      escapeUnicode: ctx.settings.jsonEscapeUnicode,
      convertNanToNull: ctx.settings.jsonConvertNanToNull,
      emf,
    };
  }

  function onTruncate(bytes: number): void {
    truncated.inc(labels);
    ctx.log.once("warn", "truncate", `Truncating an event of ${bytes} bytes to CloudWatch's limit`);
  }

  /** The events of a log chunk by stream, and the records that make none. */
  function logStreams(chunk: LogChunk) {
    const byStream = new Map<string, { group: string; stream: string; indexes: number[] }>();
    chunk.records.forEach((r, i) => {
      if (isGroupMarker(r)) return; // OTLP group start/end: no log line, nothing to send
      const { group, stream } = streamOf(naming, chunk.tag, r.body);
      const key = `${group}\n${stream}`;
      const entry = byStream.get(key) ?? { group, stream, indexes: [] };
      entry.indexes.push(i);
      byStream.set(key, entry);
    });
    const options = eventOptions(chunk);
    const streams: StreamEvents[] = [];
    const refused: { index: number; reason: string }[] = [];
    for (const { group, stream, indexes } of byStream.values()) {
      const made = toEvents(chunk.records, indexes, options, onTruncate);
      refused.push(...made.refused);
      if (made.events.length > 0) streams.push({ group, stream, events: made.events });
    }
    return { streams, refused };
  }

  /** The EMF events of a metric chunk by stream, one per data point. */
  function metricStreams(chunk: MetricChunk) {
    const byStream = new Map<string, StreamEvents>();
    const now = Date.now();
    chunk.records.forEach((m, index) => {
      for (const doc of metricDocuments(m, o.metric_namespace)) {
        const { group, stream } = streamOf(naming, chunk.tag, doc);
        const key = `${group}\n${stream}`;
        const entry = byStream.get(key) ?? { group, stream, events: [] };
        const message = escapeJsonText(jsonValue(doc), ctx.settings.jsonEscapeUnicode);
        entry.events.push({ timestamp: now, message, bytes: utf8Length(message), index });
        byStream.set(key, entry);
      }
    });
    return { streams: [...byStream.values()], refused: [] };
  }

  /**
   * Sends the events of `streams` (of a chunk of `total` records); resolves when all were
   * taken, else throws for the engine: the error itself when one failure took everything,
   * otherwise a PartialWriteError naming the records to retry and those refused.
   */
  async function send(
    total: number,
    made: { streams: StreamEvents[]; refused: { index: number; reason: string }[] },
  ): Promise<void> {
    const rejected = new Map<number, string>();
    const retry = new Set<number>();
    const errors: unknown[] = [];
    let delivered = 0;
    const refuse = (index: number, reason: string) => {
      if (rejected.has(index)) return;
      rejected.set(index, reason);
      rejectedMetric.inc({ ...labels, reason: reasonLabel(reason) });
    };
    const failed = (e: unknown, events: readonly LogEvent[]) => {
      errors.push(e);
      for (const ev of events) {
        if (e instanceof PermanentError) refuse(ev.index, e.message);
        else retry.add(ev.index);
      }
    };
    for (const r of made.refused) refuse(r.index, r.reason);
    for (const { group, stream, events } of made.streams) {
      try {
        await api.ensureStream(group, stream);
      } catch (e) {
        failed(e, events);
        continue;
      }
      for (const batch of splitBatches(events, internals.limits ?? API_LIMITS)) {
        try {
          const info = await api.putLogEvents(group, stream, batch);
          const reasons = rejectedReasons(info, batch.length);
          for (const [i, reason] of reasons) refuse(batch[i]!.index, reason);
          delivered += batch.length - reasons.size;
        } catch (e) {
          failed(e, batch);
        }
      }
    }
    for (const i of rejected.keys()) retry.delete(i);
    if (rejected.size === 0 && retry.size === 0) return;
    const [first] = errors;
    // One failure that took the whole chunk: the engine's plain retry or dead letter.
    if (delivered === 0 && errors.length === 1) {
      if (first instanceof RetryableError && retry.size === total) throw first;
      if (first instanceof PermanentError && rejected.size === total) throw first;
    }
    const retryError = errors.find((e) => e instanceof RetryableError) as
      | RetryableError
      | undefined;
    throw new PartialWriteError(
      `${rejected.size} of ${total} records refused, ${retry.size} to retry` +
        (retryError ? `: ${retryError.message}` : ""),
      {
        retry: [...retry],
        rejected: [...rejected].map(([index, reason]) => ({ index, reason })),
        retryAfter: retryError?.retryAfter,
        status: retryError?.status,
      },
    );
  }

  return {
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal === "logs") return await send(chunk.records.length, logStreams(chunk));
      if (chunk.signal === "metrics") {
        return await send(chunk.records.length, metricStreams(chunk));
      }
      ctx.log.once(
        "warn",
        "signal-traces",
        "cloudwatch_logs sends logs and metrics; traces are skipped",
      );
    },
    close(): Promise<void> {
      client.close();
      credentials.close();
      return Promise.resolve();
    },
  };
}
