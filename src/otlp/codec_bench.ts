/**
 * OTLP codec throughput: `deno bench src/otlp/codec_bench.ts`. Each iteration handles one
 * request of 100 spans (or 100 log records), so spans/s = 100 / (time per iteration).
 */
import { EventTime } from "../event/event_time.ts";
import { emptyResource, emptyScope, type Span } from "../event/span.ts";
import { blankSpan } from "./model.ts";
import { decodeLogs, decodeTraces, encodeLogs, encodeTraces } from "./mod.ts";

function spans(n: number): Span[] {
  const resource = emptyResource();
  resource.attributes = {
    "service.name": "checkout",
    "host.name": "node-1",
    "telemetry.sdk.language": "nodejs",
    "k8s.pod.name": "checkout-7d9f8c-abcde",
  };
  const scope = { ...emptyScope(), name: "@opentelemetry/instrumentation-http", version: "0.52.0" };
  const out: Span[] = [];
  for (let i = 0; i < n; i++) {
    const s = blankSpan(resource, scope);
    s.traceId = crypto.getRandomValues(new Uint8Array(16));
    s.spanId = crypto.getRandomValues(new Uint8Array(8));
    s.parentSpanId = crypto.getRandomValues(new Uint8Array(8));
    s.name = "GET /api/cart/items";
    s.kind = 2;
    s.startTimeUnixNano = 1700000000000000000n + BigInt(i * 1000);
    s.endTimeUnixNano = s.startTimeUnixNano + 5_000_000n;
    s.attributes = {
      "http.method": "GET",
      "http.route": "/api/cart/items",
      "http.status_code": 200,
      "net.peer.ip": `10.0.0.${i % 256}`,
      "http.user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
      "http.response_content_length": 1234 + i,
      "retry": false,
      "ratio": 0.25,
    };
    s.status = { code: 1, message: "" };
    if (i % 10 === 0) {
      s.events.push({
        timeUnixNano: s.startTimeUnixNano + 10n,
        name: "exception",
        attributes: { "exception.message": "boom" },
        droppedAttributesCount: 0,
      });
    }
    out.push(s);
  }
  return out;
}

const sample = spans(100);
const proto = encodeTraces(sample, "protobuf");
const json = encodeTraces(sample, "json");
const logs = decodeLogs(
  encodeLogs(
    Array.from({ length: 100 }, (_, i) => ({
      time: new EventTime(1700000000 + i, 0),
      metadata: {},
      body: { log: `GET /api/cart/items 200 ${i}ms`, stream: "stdout" },
    })),
    "protobuf",
  ),
  "protobuf",
);
const logsProto = encodeLogs(logs, "protobuf");

Deno.bench("decodeTraces protobuf, 100 spans", { group: "traces", baseline: true }, () => {
  decodeTraces(proto, "protobuf");
});
Deno.bench("encodeTraces protobuf, 100 spans", { group: "traces" }, () => {
  encodeTraces(sample, "protobuf");
});
Deno.bench("decodeTraces JSON, 100 spans", { group: "traces" }, () => {
  decodeTraces(json, "json");
});
Deno.bench("encodeTraces JSON, 100 spans", { group: "traces" }, () => {
  encodeTraces(sample, "json");
});
Deno.bench("decodeLogs protobuf, 100 records", { group: "logs", baseline: true }, () => {
  decodeLogs(logsProto, "protobuf");
});
Deno.bench("encodeLogs protobuf, 100 records", { group: "logs" }, () => {
  encodeLogs(logs, "protobuf");
});
