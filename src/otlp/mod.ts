/**
 * The OTLP codec: OpenTelemetry traces, logs and metrics requests in protobuf and
 * OTLP/JSON, decoded straight into sluice's records (Span, Fluent Bit-style grouped
 * LogRecord, MetricRecord) and encoded back, plus the export responses with
 * `partial_success`. Malformed payloads throw {@link OtlpDecodeError}; the spec's ID rules
 * are checked separately by {@link validateSpans} and friends.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { hexSpan } from "../testing/spans.ts";
 *
 * const traceId = "5b8efff798038103d269b633813fc60c";
 * const body = encodeTraces([hexSpan(traceId, "eee19b7ec3c1b174", { name: "op" })], "protobuf");
 * const spans = decodeTraces(body, "protobuf");
 * assertEquals(spans.map((s) => [hexId(s.traceId), s.name]), [[traceId, "op"]]);
 * assertEquals(validateSpans(spans), []); // every ID has the right length
 * assertEquals(decodeTraces(encodeTraces(spans, "json"), "json"), spans);
 * ```
 *
 * @module
 */
import type { LogRecord } from "../event/log_record.ts";
import type { MetricRecord } from "../event/metric.ts";
import type { Span } from "../event/span.ts";
import { parseJson } from "./json_read.ts";
import { decodeLogsJson, encodeLogsJson } from "./json_logs.ts";
import { decodeMetricsJson, encodeMetricsJson } from "./json_metrics.ts";
import { decodeTracesJson, encodeTracesJson } from "./json_traces.ts";
import { groupsToRecords, type LogLayoutOptions, recordsToGroups } from "./logs_layout.ts";
import { decodeLogsProto, encodeLogsProto } from "./proto_logs.ts";
import { decodeMetricsProto, encodeMetricsProto } from "./proto_metrics.ts";
import { decodeTracesProto, encodeTracesProto } from "./proto_traces.ts";

export { OtlpDecodeError } from "./errors.ts";
export { forgetEncoded } from "./encoded.ts";
export { hexId, idFromHex, isZeroId } from "./hex.ts";
export type { LogLayoutOptions } from "./logs_layout.ts";
export {
  decodeResponse as decodeExportResponse,
  encodeResponse as encodeExportResponse,
  type ExportPartialSuccess,
  type ExportResponse,
  type ResponseOptions,
} from "./response.ts";
export { validateLogs, validateMetrics, type ValidateOptions, validateSpans } from "./validate.ts";
export {
  AggregationTemporality,
  type DataPointBase,
  type Exemplar,
  type ExponentialBuckets,
  type ExponentialHistogramDataPoint,
  type HistogramDataPoint,
  type MetricData,
  metricData,
  type MetricKind,
  metricKind,
  type NumberDataPoint,
  type SummaryDataPoint,
  type ValueAtQuantile,
} from "./metric_data.ts";

/** The two OTLP/HTTP payload encodings. */
export type OtlpFormat = "protobuf" | "json";

/**
 * The format a Content-Type names: `application/x-protobuf`, `application/protobuf` and
 * `application/grpc` (after the gRPC frame is removed) are protobuf, `application/json`
 * is JSON; anything else is null.
 */
export function formatOfContentType(contentType: string): OtlpFormat | null {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (
    type === "application/x-protobuf" || type === "application/protobuf" ||
    type === "application/grpc" || type === "application/grpc+proto"
  ) {
    return "protobuf";
  }
  return null;
}

function checkFormat(format: string): void {
  if (format !== "protobuf" && format !== "json") {
    throw new TypeError(`Cannot use OTLP format "${format}": expected "protobuf" or "json"`);
  }
}

/** How {@link decodeTraces} decodes. */
export interface DecodeTracesOptions {
  /**
   * The caller never reuses `body`: protobuf spans then remember their bytes (views into
   * `body`, which they keep alive) and are encoded back as those bytes while unchanged
   * (see {@link forgetEncoded}).
   */
  ownsBody?: boolean;
}

/** Decodes an ExportTraceServiceRequest into spans sharing their Resource and Scope objects. */
export function decodeTraces(
  body: Uint8Array,
  format: OtlpFormat,
  options: DecodeTracesOptions = {},
): Span[] {
  checkFormat(format);
  return format === "json"
    ? decodeTracesJson(parseJson(body))
    : decodeTracesProto(body, options.ownsBody ?? false);
}

/**
 * Decodes an ExportLogsServiceRequest into Fluent Bit's grouped record layout: per
 * ScopeLogs a GROUP_START record, the log records (OTLP fields under `metadata.otlp`),
 * and a GROUP_END record.
 */
export function decodeLogs(
  body: Uint8Array,
  format: OtlpFormat,
  options: LogLayoutOptions = {},
): LogRecord[] {
  checkFormat(format);
  const groups = format === "json" ? decodeLogsJson(parseJson(body)) : decodeLogsProto(body);
  return groupsToRecords(groups, options);
}

/** Decodes an ExportMetricsServiceRequest into metric records (all five data kinds). */
export function decodeMetrics(body: Uint8Array, format: OtlpFormat): MetricRecord[] {
  checkFormat(format);
  return format === "json" ? decodeMetricsJson(parseJson(body)) : decodeMetricsProto(body);
}

/** Encodes spans as an ExportTraceServiceRequest, grouped by resource and scope object. */
export function encodeTraces(spans: readonly Span[], format: OtlpFormat): Uint8Array {
  checkFormat(format);
  return format === "json" ? encodeTracesJson(spans) : encodeTracesProto(spans);
}

/**
 * Encodes log records as an ExportLogsServiceRequest: each Fluent Bit group keeps its
 * resource and scope; records outside groups get an empty resource and scope, their body
 * as a kvlist.
 */
export function encodeLogs(
  records: readonly LogRecord[],
  format: OtlpFormat,
  options: LogLayoutOptions = {},
): Uint8Array {
  checkFormat(format);
  const groups = recordsToGroups(records, options);
  return format === "json" ? encodeLogsJson(groups) : encodeLogsProto(groups);
}

/** Encodes metric records as an ExportMetricsServiceRequest, grouped by resource and scope. */
export function encodeMetrics(metrics: readonly MetricRecord[], format: OtlpFormat): Uint8Array {
  checkFormat(format);
  return format === "json" ? encodeMetricsJson(metrics) : encodeMetricsProto(metrics);
}
