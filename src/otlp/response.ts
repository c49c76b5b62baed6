/**
 * Export{Trace,Logs,Metrics}ServiceResponse in protobuf and JSON: the optional
 * `partial_success` with the number of rejected items and an error message. Field numbers
 * from opentelemetry/proto/collector/{trace,logs,metrics}/v1/*_service.proto (the same
 * for all three: partial_success = 1; rejected_* = 1, error_message = 2).
 */
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import type { Signal } from "../event/chunk.ts";
import { fail, jsonTypeName } from "./errors.ts";
import { jsonInt64, jsonObject, jsonString, parseJson } from "./json_read.ts";
import { decodeProto, endAt, LEN, skipField, subEnd, VARINT } from "./proto_common.ts";

/** Items the receiver rejected, and why. */
export interface ExportPartialSuccess {
  /** rejected_spans, rejected_log_records or rejected_data_points. */
  rejected: number;
  /** Why items were rejected; "" when not said. */
  errorMessage: string;
}

/** An export response; `partialSuccess` is null when the field is absent (full success). */
export interface ExportResponse {
  /** The partial success, or null. */
  partialSuccess: ExportPartialSuccess | null;
}

const REJECTED_KEY: Record<Signal, [string, string]> = {
  traces: ["rejectedSpans", "rejected_spans"],
  logs: ["rejectedLogRecords", "rejected_log_records"],
  metrics: ["rejectedDataPoints", "rejected_data_points"],
};

/** Which service's response, in which encoding. */
export interface ResponseOptions {
  /** Logs, traces or metrics. */
  signal: Signal;
  /** The response encoding. */
  format: "protobuf" | "json";
}

/** Encodes an Export{Trace,Logs,Metrics}ServiceResponse. */
export function encodeResponse(response: ExportResponse, options: ResponseOptions): Uint8Array {
  const { signal, format } = options;
  const ps = response.partialSuccess;
  if (format === "json") {
    const out: Record<string, unknown> = {};
    if (ps !== null) {
      const p: Record<string, unknown> = {};
      if (ps.rejected !== 0) p[REJECTED_KEY[signal][0]] = String(ps.rejected);
      if (ps.errorMessage !== "") p.errorMessage = ps.errorMessage;
      out.partialSuccess = p;
    }
    return new TextEncoder().encode(JSON.stringify(out));
  }
  const w = new BinaryWriter();
  if (ps !== null) {
    w.tag(1, LEN).fork();
    if (ps.rejected !== 0) w.tag(1, VARINT).int64(ps.rejected);
    if (ps.errorMessage !== "") w.tag(2, LEN).string(ps.errorMessage);
    w.join();
  }
  return w.finish();
}

/** Decodes an Export{Trace,Logs,Metrics}ServiceResponse; an empty body is a full success. */
export function decodeResponse(body: Uint8Array, options: ResponseOptions): ExportResponse {
  const { signal, format } = options;
  if (format === "json") {
    if (new TextDecoder().decode(body).trim() === "") return { partialSuccess: null };
    const root = parseJson(body);
    if (typeof root !== "object" || root === null || Array.isArray(root)) {
      fail("", `expected a JSON object, got ${jsonTypeName(root)}`);
    }
    const top = root as Record<string, unknown>;
    const p = jsonObject(top.partialSuccess ?? top.partial_success, "partialSuccess");
    if (p === null) return { partialSuccess: null };
    const [camel, snake] = REJECTED_KEY[signal];
    return {
      partialSuccess: {
        rejected: Number(jsonInt64(p[camel] ?? p[snake], `partialSuccess.${camel}`)),
        errorMessage: jsonString(p.errorMessage ?? p.error_message, "partialSuccess.errorMessage"),
      },
    };
  }
  return decodeProto(body, ["partialSuccess", "", ""], (r) => {
    let partialSuccess: ExportPartialSuccess | null = null;
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag !== ((1 << 3) | LEN)) {
        skipField(r, tag);
        continue;
      }
      const end = subEnd(r);
      const ps: ExportPartialSuccess = partialSuccess ?? { rejected: 0, errorMessage: "" };
      while (r.pos < end) {
        const t = r.uint32();
        if (t === ((1 << 3) | VARINT)) ps.rejected = Number(r.int64());
        else if (t === ((2 << 3) | LEN)) ps.errorMessage = r.str();
        else skipField(r, t);
      }
      endAt(r, end);
      partialSuccess = ps;
    }
    return { partialSuccess };
  });
}
