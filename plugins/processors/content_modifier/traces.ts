/**
 * content_modifier on trace chunks. `span_attributes`, `span_name`, `span_kind` and
 * `span_status` change each span; the OTel resource and scope contexts change the
 * resource or scope object, which spans share by reference: each distinct object is
 * changed once (remembered across chunks, so `hash` never hashes twice) and the
 * change shows on every span of that resource or scope. Fluent Bit applies every
 * traces context to span attributes; sluice applies each to what it names.
 */
import type { TraceChunk } from "../../../src/event/chunk.ts";
import type { Span, StatusCodeValue } from "../../../src/event/span.ts";
import { forgetEncoded } from "../../../src/otlp/mod.ts";
import { applyToMap, childMap, isMap, type Op } from "./actions.ts";
import { sha256Hex } from "./convert.ts";
import type { Modifier, TraceContext } from "./compile.ts";

/** Applies a scalar op to a string field: insert fills an empty one, delete empties it. */
function scalar(op: Op, current: string): string | undefined {
  switch (op.action) {
    case "insert":
      return current === "" ? op.value : undefined;
    case "upsert":
      return op.value;
    case "delete":
      return current === "" ? undefined : "";
    case "hash":
      return current === "" ? undefined : sha256Hex(current);
    default:
      return undefined;
  }
}

function spanAttributes(span: Span, op: Op): Record<string, unknown> | undefined {
  const holder = span as unknown as Record<string, unknown>;
  return childMap(holder, "attributes", op);
}

function modifySpan(span: Span, context: TraceContext, m: Modifier): void {
  const op = m.op;
  forgetEncoded(span); // changed in place: the bytes it arrived as no longer fit
  switch (context) {
    case "span_attributes": {
      const attrs = spanAttributes(span, op);
      if (attrs) applyToMap(op, attrs);
      return;
    }
    case "span_name": {
      const name = typeof span.name === "string" ? span.name : "";
      if (op.action === "extract") {
        const groups = op.pattern!.exec(name)?.groups;
        const attrs = groups && spanAttributes(span, { ...op, action: "upsert" });
        if (groups && attrs) {
          for (const [k, v] of Object.entries(groups)) if (v !== undefined) attrs[k] = v;
        }
        return;
      }
      const next = scalar(op, name);
      if (next !== undefined) span.name = next;
      return;
    }
    case "span_kind":
      if (op.action === "insert" && span.kind !== 0) return;
      span.kind = op.action === "delete" ? 0 : m.code!;
      return;
    case "span_status": {
      // A copy: decoded spans without a status share one frozen object.
      const status = span.status = isMap(span.status)
        ? { code: span.status.code, message: span.status.message }
        : { code: 0, message: "" };
      if (op.key === "message") {
        const next = scalar(op, status.message ?? "");
        if (next !== undefined) status.message = next;
      } else if (op.action !== "insert" || status.code === 0) {
        status.code = (op.action === "delete" ? 0 : m.code!) as StatusCodeValue;
      }
      return;
    }
    default:
      return;
  }
}

/** Changes a shared resource or scope object for `context`. */
function modifyShared(obj: Record<string, unknown>, context: TraceContext, op: Op): void {
  if (context === "otel_resource_attributes" || context === "otel_scope_attributes") {
    const attrs = childMap(obj, "attributes", op);
    if (attrs) applyToMap(op, attrs);
    return;
  }
  const field = context === "otel_scope_name" ? "name" : "version";
  const current = typeof obj[field] === "string" ? obj[field] as string : "";
  const next = scalar(op, current);
  if (next !== undefined) obj[field] = next;
}

/**
 * A per-instance trace modifier: applies `m` to every span of a chunk in place,
 * each shared resource or scope object once.
 */
export function traceModifier(m: Modifier): (chunk: TraceChunk) => void {
  const context = m.traces!;
  const onResource = context === "otel_resource_attributes";
  const onScope = context.startsWith("otel_scope");
  const done = new WeakSet<object>();
  return function modifyTraces(chunk: TraceChunk): void {
    let last: unknown = undefined;
    for (const span of chunk.records) {
      if (!onResource && !onScope) {
        modifySpan(span, context, m);
        continue;
      }
      const obj = onResource ? span.resource : span.scope;
      if (obj === last || !isMap(obj)) continue;
      last = obj;
      if (done.has(obj)) continue;
      done.add(obj);
      modifyShared(obj as unknown as Record<string, unknown>, context, m.op);
    }
  };
}
