/**
 * OTLP log records as decoded from either wire format, grouped per ResourceLogs +
 * ScopeLogs, before they take Fluent Bit's record layout (see `logs_layout.ts`).
 */
import type { AnyValue, Attributes, Resource, Scope } from "../event/span.ts";
import { EMPTY_ID } from "./hex.ts";

/** One OTLP LogRecord with every field at a defined value (absent body is null). */
export interface OtlpLog {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  traceId: Uint8Array;
  spanId: Uint8Array;
  eventName: string;
}

/** The log records of one ScopeLogs, with its resource and scope and their request indices. */
export interface OtlpLogGroup {
  resource: Resource;
  scope: Scope;
  /** Index of the ResourceLogs in the request (Fluent Bit's `resource_id`). */
  resourceIndex: number;
  /** Index of the ScopeLogs within its ResourceLogs (Fluent Bit's `scope_id`). */
  scopeIndex: number;
  logs: OtlpLog[];
}

/** A log record with every field at its OTLP default. */
export function blankLog(): OtlpLog {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: "",
    body: null,
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: EMPTY_ID,
    spanId: EMPTY_ID,
    eventName: "",
  };
}

/** SeverityNumber names (OTLP/JSON uses integers; names are accepted too). */
export const SEVERITY_NAMES: Record<string, number> = {};
const LEVELS = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
SEVERITY_NAMES.SEVERITY_NUMBER_UNSPECIFIED = 0;
for (let i = 0; i < LEVELS.length; i++) {
  for (let j = 0; j < 4; j++) {
    SEVERITY_NAMES[`SEVERITY_NUMBER_${LEVELS[i]}${j === 0 ? "" : j + 1}`] = i * 4 + j + 1;
  }
}
