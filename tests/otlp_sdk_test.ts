/**
 * Real OpenTelemetry JS SDK clients export to a running sluice (the CLI): spans through the
 * OTLP/HTTP protobuf and JSON exporters, logs through the OTLP/HTTP logs exporter. What
 * comes out of sluice is checked field by field against what the SDK recorded.
 */
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as api from "npm:@opentelemetry/api@1.10.0";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { resourceFromAttributes } from "npm:@opentelemetry/resources@2.12.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as traceSdk from "npm:@opentelemetry/sdk-trace-base@2.12.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { OTLPTraceExporter as ProtoTraceExporter } from "npm:@opentelemetry/exporter-trace-otlp-proto@0.301.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { OTLPTraceExporter as JsonTraceExporter } from "npm:@opentelemetry/exporter-trace-otlp-http@0.301.0";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { LoggerProvider, SimpleLogRecordProcessor } from "npm:@opentelemetry/sdk-logs@3.1.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { OTLPLogExporter } from "npm:@opentelemetry/exporter-logs-otlp-http@0.301.0";
import { decodeLogs, hexId } from "../src/otlp/mod.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { freePort, waitFor } from "./_helpers.ts";
import { startReceiver, startSluice, waitListening } from "./_otlp_helpers.ts";

type SpanExporter = traceSdk.SpanExporter;
type ExportResult = { code: number; error?: Error };

/** Wraps an exporter to record each export's result code (0 = success). */
function recording(exporter: SpanExporter, results: number[]): SpanExporter {
  return {
    export(spans, done): void {
      exporter.export(spans, (r: ExportResult) => {
        results.push(r.code);
        done(r);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** Records a root SERVER span and an erroring INTERNAL child through the SDK. */
async function emitSpans(exporter: SpanExporter): Promise<traceSdk.ReadableSpan[]> {
  const finished: traceSdk.ReadableSpan[] = [];
  const provider = new traceSdk.BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "shop", "deployment.environment": "test" }),
    spanProcessors: [
      new traceSdk.SimpleSpanProcessor(exporter),
      {
        onStart() {},
        onEnd: (s: traceSdk.ReadableSpan) => void finished.push(s),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const tracer = provider.getTracer("@shop/http", "1.4.2");
  const root = tracer.startSpan("GET /cart", {
    kind: api.SpanKind.SERVER,
    attributes: { "http.method": "GET", "http.status_code": 500, retry: false, ratio: 0.25 },
  });
  const child = tracer.startSpan(
    "SELECT cart",
    { attributes: { "db.system": "postgresql", tags: ["a", "b"] } },
    api.trace.setSpan(api.ROOT_CONTEXT, root),
  );
  child.addEvent("exception", { "exception.type": "Timeout" });
  child.setStatus({ code: api.SpanStatusCode.ERROR, message: "deadline exceeded" });
  child.end();
  root.setStatus({ code: api.SpanStatusCode.OK });
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return finished;
}

function nanos(t: [number, number]): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

async function spansThroughSluice(
  makeExporter: (url: string) => SpanExporter,
): Promise<void> {
  const port = freePort();
  const sluice = await startSluice(`
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: stdout
      match: v1_traces
`);
  try {
    await waitListening(port);
    const results: number[] = [];
    const sdkSpans = await emitSpans(
      recording(makeExporter(`http://127.0.0.1:${port}/v1/traces`), results),
    );
    assertEquals(results, [0, 0], "both exports succeeded");
    const lines = await waitFor(() => {
      const got = sluice.stdout.filter((l) => l.startsWith('{"resource"'));
      return got.length >= 2 ? got : undefined;
    }, { what: "two spans on sluice's stdout" });
    const out = lines!.map((l) => JSON.parse(l));
    for (const s of sdkSpans) {
      const ctx = s.spanContext();
      const o = out.find((x) => x.spanId === ctx.spanId);
      assert(o, `span ${ctx.spanId} came out`);
      assertEquals(o.traceId, ctx.traceId);
      assertEquals(o.parentSpanId, s.parentSpanContext?.spanId ?? "");
      assertEquals(o.name, s.name);
      assertEquals(o.kind, s.kind + 1, "OTLP SpanKind is the API's plus one");
      assertEquals(o.startTimeUnixNano, nanos(s.startTime));
      assertEquals(o.endTimeUnixNano, nanos(s.endTime));
      assertEquals(o.attributes, s.attributes);
      assertEquals(o.status.code, s.status.code);
      assertEquals(o.status.message, s.status.message ?? "");
      assertEquals(o.resource.attributes["service.name"], "shop");
      assertEquals(o.resource.attributes["deployment.environment"], "test");
      assertEquals([o.scope.name, o.scope.version], ["@shop/http", "1.4.2"]);
      assertEquals(o.flags & 0xff, ctx.traceFlags);
    }
    const child = out.find((x) => x.name === "SELECT cart");
    assertEquals(child.events.map((e: { name: string }) => e.name), ["exception"]);
    assertEquals(child.events[0].attributes, { "exception.type": "Timeout" });
    assertEquals(child.status, { code: 2, message: "deadline exceeded" });
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
  }
}

Deno.test("OTel SDK spans exported as OTLP/HTTP protobuf come out of sluice field by field", async () => {
  await spansThroughSluice((url) => new ProtoTraceExporter({ url }));
});

Deno.test("OTel SDK spans exported as OTLP/HTTP JSON come out of sluice field by field", async () => {
  await spansThroughSluice((url) => new JsonTraceExporter({ url }));
});

Deno.test("OTel SDK logs pass through sluice's OTLP input and output with resource and scope", async () => {
  const port = freePort();
  const rx = startReceiver();
  const sluice = await startSluice(`
service:
  flush: 0.2
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: opentelemetry
      match: v1_logs
      host: 127.0.0.1
      port: ${rx.port}
`);
  try {
    await waitListening(port);
    const results: number[] = [];
    const exporter = new OTLPLogExporter({ url: `http://127.0.0.1:${port}/v1/logs` });
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": "shop" }),
      processors: [
        new SimpleLogRecordProcessor({
          exporter: {
            export(logs, done): void {
              exporter.export(logs, (r: ExportResult) => {
                results.push(r.code);
                done(r);
              });
            },
            shutdown: () => exporter.shutdown(),
            forceFlush: () => exporter.forceFlush(),
          },
        }),
      ],
    });
    const logger = provider.getLogger("@shop/worker", "2.0.1");
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const spanId = "00f067aa0ba902b7";
    const spanCtx = api.trace.setSpanContext(api.ROOT_CONTEXT, {
      traceId,
      spanId,
      traceFlags: 1,
    });
    logger.emit({
      severityNumber: 17,
      severityText: "ERROR",
      body: "payment failed",
      attributes: { "order.id": 42, retry: true },
      context: spanCtx,
    });
    logger.emit({
      severityNumber: 9,
      severityText: "INFO",
      body: { event: "checkout", items: 3 },
    });
    await provider.forceFlush();
    await provider.shutdown();
    assertEquals(results, [0, 0], "both exports succeeded");
    await waitFor(() => {
      const n = rx.requests.flatMap((r) =>
        decodeLogs(r.body, "protobuf").filter((x) => x.time.sec >= 0)
      ).length;
      return n >= 2;
    }, { what: "two log records at the receiver" });
    const records = rx.requests.flatMap((r) => decodeLogs(r.body, "protobuf"));
    const start = records.find((r) => r.time.sec === -1)!;
    assertEquals((start.body.resource as Record<string, unknown>).attributes, {
      "service.name": "shop",
    });
    assertEquals(start.body.scope, { name: "@shop/worker", version: "2.0.1" });
    const logs = records.filter((r) => r.time.sec >= 0);
    assertEquals(logs[0]!.body, { log: "payment failed" });
    const m0 = logs[0]!.metadata.otlp as Record<string, unknown>;
    assertEquals([m0.severity_number, m0.severity_text], [17, "ERROR"]);
    assertEquals(m0.attributes, { "order.id": 42, retry: true });
    assertEquals(hexId(m0.trace_id as Uint8Array), traceId);
    assertEquals(hexId(m0.span_id as Uint8Array), spanId);
    assertEquals(m0.trace_flags, 1);
    assert(typeof m0.timestamp === "bigint" && m0.timestamp > 0n);
    assertEquals(logs[1]!.body, { event: "checkout", items: 3 });
    assertEquals((logs[1]!.metadata.otlp as Record<string, unknown>).severity_text, "INFO");
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await rx.close();
  }
});
