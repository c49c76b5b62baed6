/**
 * Checking a content_modifier section: which context applies to logs and which to
 * traces, the key each context works on, what each action needs, and which actions
 * a scalar context (a scope name, a span's name, kind or status) allows.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";
import type { Action, Op } from "./actions.ts";
import type { ConvertType } from "./convert.ts";

/** Contexts for log chunks (Fluent Bit's names; `metadata`/`attributes` are the record metadata). */
export type LogContext =
  | "body"
  | "metadata"
  | "otel_log_attributes"
  | "otel_resource_attributes"
  | "otel_scope_attributes"
  | "otel_scope_name"
  | "otel_scope_version";

/** Contexts for trace chunks. */
export type TraceContext =
  | "span_attributes"
  | "span_name"
  | "span_kind"
  | "span_status"
  | "otel_resource_attributes"
  | "otel_scope_attributes"
  | "otel_scope_name"
  | "otel_scope_version";

const LOG_ALIASES: Record<string, LogContext> = {
  body: "body",
  message: "body",
  record: "body",
  metadata: "metadata",
  attributes: "metadata",
  otel_log_attributes: "otel_log_attributes",
  otel_resource_attributes: "otel_resource_attributes",
  otel_scope_attributes: "otel_scope_attributes",
  otel_scope_name: "otel_scope_name",
  otel_scope_version: "otel_scope_version",
};

const TRACE_CONTEXTS: readonly TraceContext[] = [
  "span_attributes",
  "span_name",
  "span_kind",
  "span_status",
  "otel_resource_attributes",
  "otel_scope_attributes",
  "otel_scope_name",
  "otel_scope_version",
];

/** Every `context` value accepted. */
export const CONTEXTS: readonly string[] = [
  ...new Set([...Object.keys(LOG_ALIASES), ...TRACE_CONTEXTS]),
];

/** The actions each scalar context allows; map contexts allow every action. */
const SCALAR_ACTIONS: Record<string, readonly Action[]> = {
  otel_scope_name: ["insert", "upsert", "delete", "hash"],
  otel_scope_version: ["insert", "upsert", "delete", "hash"],
  span_name: ["insert", "upsert", "delete", "hash", "extract"],
  span_kind: ["insert", "upsert", "delete"],
  span_status: ["insert", "upsert", "delete"],
};

/** The span kinds by name (OTLP numbering). */
export const SPAN_KINDS: Record<string, number> = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
};

/** The status codes by name. */
export const STATUS_CODES: Record<string, number> = { UNSET: 0, OK: 1, ERROR: 2 };

/** The parsed option values the plugin is created from. */
export interface ModifierValues {
  action?: string;
  context?: string;
  key?: string;
  value?: string;
  pattern?: string;
  converted_type?: string;
}

/** A checked modifier: the op and the context it works on per signal. */
export interface Modifier {
  op: Op;
  /** Undefined when the context is not one for logs. */
  logs?: LogContext;
  traces?: TraceContext;
  /** For span_kind / span_status: the value as a number. */
  code?: number;
}

function fail(detail: string): never {
  throw new RangeError(`Cannot use the content_modifier processor: ${detail}`);
}

function enumValue(
  names: Record<string, number>,
  prefix: string,
  raw: string,
  what: string,
): number {
  const s = raw.trim().toUpperCase();
  const name = s.startsWith(prefix) ? s.slice(prefix.length) : s;
  if (name in names) return names[name];
  const n = Number(s);
  if (Number.isInteger(n) && Object.values(names).includes(n)) return n;
  return fail(`${what} ${JSON.stringify(raw)} is not one of ${Object.keys(names).join(", ")}`);
}

/** The key a context works on: fixed for scope name/version, the option otherwise. */
function keyFor(context: string, key: string | undefined, action: Action): string {
  if (context === "otel_scope_name" || context === "otel_scope_version") {
    const fixed = context === "otel_scope_name" ? "name" : "version";
    if (key !== undefined && key.toLowerCase() !== fixed) {
      fail(`context ${context} works on the key "${fixed}", not ${JSON.stringify(key)}`);
    }
    return fixed;
  }
  if (context === "span_name" || context === "span_kind") return key ?? "";
  if (context === "span_status") {
    const k = (key ?? "code").toLowerCase();
    if (k !== "code" && k !== "message") fail(`context span_status takes key code or message`);
    return k;
  }
  if (key === undefined || key === "") fail(`action ${action} needs "key"`);
  return key;
}

/**
 * Checks the section's values and compiles them; throws RangeError with the way out.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(compileModifier({ action: "upsert", key: "env", value: "prod" }).logs, "body");
 * ```
 */
export function compileModifier(v: ModifierValues): Modifier {
  if (!v.action) {
    fail('"action" is required: insert, upsert, delete, rename, hash, extract or convert');
  }
  const action = v.action.toLowerCase() as Action;
  const raw = v.context?.toLowerCase();
  const logs = raw === undefined ? "body" : LOG_ALIASES[raw];
  const traces = raw === undefined
    ? "span_attributes"
    : (TRACE_CONTEXTS as readonly string[]).includes(raw)
    ? raw as TraceContext
    : undefined;
  if (!logs && !traces) fail(`unknown context ${JSON.stringify(v.context)}`);
  const context = raw ?? "body";
  const allowed = SCALAR_ACTIONS[context];
  if (allowed && !allowed.includes(action)) {
    fail(`action ${action} is not allowed for context ${context}: use ${allowed.join(", ")}`);
  }
  const key = keyFor(context, v.key, action);
  if (
    (action === "insert" || action === "upsert" || action === "rename") && v.value === undefined
  ) {
    fail(`action ${action} needs "value"`);
  }
  const op: Op = { action, key, value: v.value ?? "" };
  if (action === "extract") {
    if (!v.pattern) fail('action extract needs "pattern", a regular expression with named groups');
    try {
      op.pattern = compileOnigmo(v.pattern);
    } catch (e) {
      fail(errorMessage(e));
    }
    if (!/\(\?<[A-Za-z_]/.test(op.pattern!.source)) {
      fail(`pattern ${JSON.stringify(v.pattern)} has no named group (?<name>...) to extract`);
    }
  } else if (v.pattern !== undefined) {
    fail(`"pattern" is only used by action extract, not ${action}`);
  }
  if (action === "convert") {
    if (!v.converted_type) {
      fail('action convert needs "converted_type": string, boolean, int or double');
    }
    op.convertTo = v.converted_type.toLowerCase() as ConvertType;
  }
  const m: Modifier = { op, logs, traces };
  if (context === "span_kind" && action !== "delete") {
    m.code = enumValue(SPAN_KINDS, "SPAN_KIND_", op.value, "span kind");
  }
  if (context === "span_status" && key === "code" && action !== "delete") {
    m.code = enumValue(STATUS_CODES, "STATUS_CODE_", op.value, "status code");
  }
  return m;
}
