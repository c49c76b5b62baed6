/**
 * Real OpenTelemetry JS SDK gRPC exporters (`@grpc/grpc-js` underneath) export to a running
 * sluice (the CLI) on the opentelemetry input's one port: 50 traces of 3 spans come out
 * field by field, logs and metrics come out through the OTLP/HTTP output to a receiver.
 */
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as api from "npm:@opentelemetry/api@1.10.0";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { resourceFromAttributes } from "npm:@opentelemetry/resources@2.12.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as traceSdk from "npm:@opentelemetry/sdk-trace-base@2.12.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { OTLPTraceExporter } from "npm:@opentelemetry/exporter-trace-otlp-grpc@0.301.0";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { LoggerProvider, SimpleLogRecordProcessor } from "npm:@opentelemetry/sdk-logs@3.1.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { OTLPLogExporter } from "npm:@opentelemetry/exporter-logs-otlp-grpc@0.301.0";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as metricsSdk from "npm:@opentelemetry/sdk-metrics@3.1.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { OTLPMetricExporter } from "npm:@opentelemetry/exporter-metrics-otlp-grpc@0.301.0";
// deno-lint-ignore no-import-prefix -- a test-only dependency, the exporters' own grpc-js
import * as grpc from "npm:@grpc/grpc-js@1.14.7";
import { Buffer } from "node:buffer";
import { decodeLogs, decodeMetrics } from "../src/otlp/mod.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { freePort, waitFor } from "./_helpers.ts";
import { startReceiver, startSluice, waitListening } from "./_otlp_helpers.ts";
import { promMetric } from "./_outputs.ts";

type ExportResult = { code: number; error?: Error };

function nanos(t: [number, number]): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

/** 50 traces of a SERVER root, a CLIENT child with an event, and an erroring grandchild. */
async function emitTraces(exporter: traceSdk.SpanExporter): Promise<{
  finished: traceSdk.ReadableSpan[];
  results: number[];
}> {
  const finished: traceSdk.ReadableSpan[] = [];
  const results: number[] = [];
  const recording: traceSdk.SpanExporter = {
    export(spans, done): void {
      exporter.export(spans, (r: ExportResult) => {
        results.push(r.code);
        done(r);
      });
    },
    shutdown: () => exporter.shutdown(),
  };
  const provider = new traceSdk.BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "shop", "host.cpus": 8 }),
    spanProcessors: [
      new traceSdk.BatchSpanProcessor(recording, { maxExportBatchSize: 40, maxQueueSize: 1000 }),
      {
        onStart() {},
        onEnd: (s: traceSdk.ReadableSpan) => void finished.push(s),
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  });
  const tracer = provider.getTracer("@shop/http", "1.4.2");
  for (let i = 0; i < 50; i++) {
    const root = tracer.startSpan(`GET /cart/${i}`, {
      kind: api.SpanKind.SERVER,
      attributes: { "http.method": "GET", "http.status_code": 200 + i, ratio: i / 4 },
    });
    const ctx = api.trace.setSpan(api.ROOT_CONTEXT, root);
    const child = tracer.startSpan("call", { kind: api.SpanKind.CLIENT }, ctx);
    child.addEvent("sent", { bytes: i });
    const leaf = tracer.startSpan(
      "SELECT cart",
      { attributes: { "db.system": "postgresql", tags: ["a", `t${i}`], ok: i % 2 === 0 } },
      api.trace.setSpan(api.ROOT_CONTEXT, child),
    );
    leaf.setStatus({ code: api.SpanStatusCode.ERROR, message: `deadline ${i}` });
    leaf.end();
    child.end();
    root.setStatus({ code: api.SpanStatusCode.OK });
    root.end();
  }
  await provider.forceFlush();
  await provider.shutdown();
  return { finished, results };
}

Deno.test("OTel SDK gRPC trace exporter: 50 traces through sluice's input, every span exact", async () => {
  const port = freePort();
  const metrics = freePort();
  const sluice = await startSluice(`
service:
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${metrics}
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
    const { finished, results } = await emitTraces(
      new OTLPTraceExporter({ url: `http://127.0.0.1:${port}` }),
    );
    assertEquals(finished.length, 150);
    assert(results.length >= 4 && results.every((c) => c === 0), `exports: ${results}`);
    const lines = await waitFor(() => {
      const got = sluice.stdout.filter((l) => l.startsWith('{"resource"'));
      return got.length >= 150 ? got : undefined;
    }, { what: "150 spans on sluice's stdout" });
    assertEquals(lines!.length, 150, "no span twice");
    const out = new Map(lines!.map((l) => JSON.parse(l)).map((o) => [o.spanId, o]));
    for (const s of finished) {
      const ctx = s.spanContext();
      const o = out.get(ctx.spanId);
      assert(o, `span ${ctx.spanId} came out`);
      assertEquals(o.traceId, ctx.traceId);
      assertEquals(o.parentSpanId, s.parentSpanContext?.spanId ?? "");
      assertEquals(o.name, s.name);
      assertEquals(o.kind, s.kind + 1, "OTLP SpanKind is the API's plus one");
      assertEquals(o.startTimeUnixNano, nanos(s.startTime));
      assertEquals(o.endTimeUnixNano, nanos(s.endTime));
      assertEquals(o.attributes, s.attributes);
      assertEquals(o.status, { code: s.status.code, message: s.status.message ?? "" });
      assertEquals(
        o.events.map((e: { name: string; attributes: unknown }) => [e.name, e.attributes]),
        s.events.map((e) => [e.name, e.attributes]),
      );
      assertEquals(o.resource.attributes, { "service.name": "shop", "host.cpus": 8 });
      assertEquals([o.scope.name, o.scope.version], ["@shop/http", "1.4.2"]);
      assertEquals(o.flags & 0xff, ctx.traceFlags);
    }
    const ok = await promMetric(metrics, "sluice_input_otlp_grpc_calls_total", 'code="0"');
    assertEquals(ok, results.length, "every export was a gRPC call answered OK");
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
  }
});

Deno.test("OTel SDK gRPC logs and metrics exporters: records reach the OTLP output intact", async () => {
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
      match: '*'
      host: 127.0.0.1
      port: ${rx.port}
`);
  try {
    await waitListening(port);
    const logResults: number[] = [];
    const logExporter = new OTLPLogExporter({ url: `http://127.0.0.1:${port}` });
    const loggers = new LoggerProvider({
      resource: resourceFromAttributes({ "service.name": "shop" }),
      processors: [
        new SimpleLogRecordProcessor({
          exporter: {
            export(logs, done): void {
              logExporter.export(logs, (r: ExportResult) => {
                logResults.push(r.code);
                done(r);
              });
            },
            shutdown: () => logExporter.shutdown(),
            forceFlush: () => logExporter.forceFlush(),
          },
        }),
      ],
    });
    const logger = loggers.getLogger("@shop/worker", "2.0.1");
    logger.emit({ severityNumber: 17, severityText: "ERROR", body: "payment failed" });
    logger.emit({ severityNumber: 9, body: { event: "checkout", items: 3 } });
    await loggers.forceFlush();
    await loggers.shutdown();
    assertEquals(logResults, [0, 0]);

    const reader = new metricsSdk.PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `http://127.0.0.1:${port}` }),
      exportIntervalMillis: 60_000,
    });
    const meters = new metricsSdk.MeterProvider({
      resource: resourceFromAttributes({ "service.name": "shop" }),
      readers: [reader],
    });
    const orders = meters.getMeter("@shop/metrics").createCounter("orders");
    orders.add(5, { region: "eu" });
    await reader.forceFlush();
    await meters.shutdown();

    await waitFor(() => {
      const paths = rx.requests.map((r) => r.path);
      return paths.includes("/v1/logs") && paths.includes("/v1/metrics");
    }, { what: "logs and metrics at the receiver" });
    const logs = rx.requests.filter((r) => r.path === "/v1/logs")
      .flatMap((r) => decodeLogs(r.body, "protobuf")).filter((r) => r.time.sec >= 0);
    assertEquals(logs.map((r) => r.body), [{ log: "payment failed" }, {
      event: "checkout",
      items: 3,
    }]);
    const m = rx.requests.filter((r) => r.path === "/v1/metrics")
      .flatMap((r) => decodeMetrics(r.body, "protobuf"));
    const names = JSON.stringify(m, (_k, v) => typeof v === "bigint" ? String(v) : v);
    assert(names.includes('"orders"') && names.includes('"eu"'), names.slice(0, 400));
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await rx.close();
  }
});

Deno.test("OTel SDK gRPC trace exporter over TLS (ALPN h2) to the input's tls port", async () => {
  const tls = new URL("../testdata/otlp/tls/", import.meta.url).pathname;
  const port = freePort();
  const sluice = await startSluice(`
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
      tls: on
      tls.crt_file: ${tls}server.crt
      tls.key_file: ${tls}server.key
  outputs:
    - name: stdout
      match: v1_traces
`);
  try {
    const client = Deno.createHttpClient({ caCerts: [Deno.readTextFileSync(`${tls}ca.crt`)] });
    await waitListening(port, { scheme: "https", client });
    client.close();
    const exporter = new OTLPTraceExporter({
      url: `https://localhost:${port}`,
      credentials: grpc.credentials.createSsl(Buffer.from(Deno.readFileSync(`${tls}ca.crt`))),
    });
    const { finished, results } = await emitTraces(exporter);
    assert(results.length > 0 && results.every((c) => c === 0), `exports: ${results}`);
    const lines = await waitFor(() => {
      const got = sluice.stdout.filter((l) => l.startsWith('{"resource"'));
      return got.length >= finished.length ? got : undefined;
    }, { what: "every span on sluice's stdout" });
    const ids = new Set(lines!.map((l) => JSON.parse(l).spanId));
    assertEquals(ids.size, finished.length);
    for (const s of finished) assert(ids.has(s.spanContext().spanId));
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
  }
});
