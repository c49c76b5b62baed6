/**
 * The opentelemetry input and output end to end, through the sluice CLI: sluice to sluice
 * over OTLP/HTTP (TLS and a bearer token on the second hop) with payloads equal at the far
 * end; Fluent Bit's integration payloads; backpressure answered with 503 and Retry-After;
 * chunked request bodies.
 */
import type { LogRecord } from "../src/event/log_record.ts";
import {
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  encodeLogs,
  encodeMetrics,
  encodeTraces,
  hexId,
} from "../src/otlp/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { freePort, ROOT, waitFor } from "./_helpers.ts";
import { postOtlp, startReceiver, startSluice, waitListening } from "./_otlp_helpers.ts";

const DATA = `${ROOT}testdata/otlp`;
const TLS = `${DATA}/tls`;

function read(name: string): Uint8Array {
  return Deno.readFileSync(`${DATA}/${name}`);
}

const TRACES = [
  "fb-it-in_opentelemetry__test_traces_001.in.json",
  "fb-it-in_opentelemetry__test_traces_002.in.json",
  "otelproto-examples-trace.json",
];
const LOGS = [
  "fb-it-in_opentelemetry__test_logs_001.in.json",
  "fb-it-in_opentelemetry__test_logs_2038.in.json",
  "fb-it-in_opentelemetry__test_logs_expect_batch.in.json",
  "otelproto-examples-logs.json",
];
const METRICS = [
  "fb-it-in_opentelemetry__test_metrics_001.in.json",
  "fb-it-in_opentelemetry__test_metrics_002.in.json",
  "otelproto-examples-metrics.json",
];

/** Log records flattened with their group's resource and scope, markers dropped. */
function flatLogs(records: LogRecord[]): unknown[] {
  const out: unknown[] = [];
  let group: unknown = null;
  for (const r of records) {
    if (r.time.sec === -1) group = r.body;
    else if (r.time.sec === -2) group = null;
    else out.push({ group, time: r.time.toNanos(), metadata: r.metadata, body: r.body });
  }
  return out;
}

Deno.test("sluice to sluice over OTLP/HTTP (TLS, bearer token) delivers equal payloads", async () => {
  const portA = freePort();
  const portB = freePort();
  const rx = startReceiver();
  const b = await startSluice(`
service:
  flush: 0.2
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${portB}
      tls: on
      tls.crt_file: ${TLS}/server.crt
      tls.key_file: ${TLS}/server.key
      auth.bearer_token: t0ken
  outputs:
    - name: opentelemetry
      match: '*'
      host: 127.0.0.1
      port: ${rx.port}
      format: json
`);
  const a = await startSluice(`
service:
  flush: 0.2
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${portA}
  outputs:
    - name: opentelemetry
      match: '*'
      host: localhost
      port: ${portB}
      tls: on
      tls.ca_file: ${TLS}/ca.crt
      header: Authorization Bearer t0ken
      compress: gzip
      batch_size: 2
`);
  try {
    const client = Deno.createHttpClient({ caCerts: [Deno.readTextFileSync(`${TLS}/ca.crt`)] });
    try {
      await waitListening(portB, { scheme: "https", client });
    } finally {
      client.close();
    }
    await waitListening(portA);
    const sent = { traces: [] as unknown[], logs: [] as unknown[], metrics: [] as unknown[] };
    for (const f of TRACES) {
      assertEquals((await postOtlp(portA, "/v1/traces", { body: read(f) })).status, 201, f);
      sent.traces.push(...decodeTraces(read(f), "json"));
    }
    for (const f of LOGS) {
      assertEquals((await postOtlp(portA, "/v1/logs", { body: read(f) })).status, 201, f);
      sent.logs.push(...flatLogs(decodeLogs(read(f), "json")));
    }
    for (const f of METRICS) {
      const proto = encodeMetrics(decodeMetrics(read(f), "json"), "protobuf");
      const r = await postOtlp(portA, "/v1/metrics", {
        body: proto,
        headers: { "content-type": "application/x-protobuf" },
      });
      assertEquals(r.status, 201, f);
      sent.metrics.push(...decodeMetrics(read(f), "json"));
    }
    const got = () => {
      const out = { traces: [] as unknown[], logs: [] as unknown[], metrics: [] as unknown[] };
      for (const r of rx.requests) {
        if (r.path === "/v1/traces") out.traces.push(...decodeTraces(r.body, "json"));
        if (r.path === "/v1/logs") out.logs.push(...flatLogs(decodeLogs(r.body, "json")));
        if (r.path === "/v1/metrics") out.metrics.push(...decodeMetrics(r.body, "json"));
      }
      return out;
    };
    await waitFor(() => {
      const g = got();
      return g.traces.length === sent.traces.length && g.logs.length === sent.logs.length &&
        g.metrics.length === sent.metrics.length;
    }, { what: "every span, log record and metric at the far end" });
    const g = got();
    assertEquals(g.traces, sent.traces);
    assertEquals(g.logs, sent.logs);
    assertEquals(g.metrics, sent.metrics);
    assert(rx.requests.every((r) => r.headers.get("content-type") === "application/json"));
  } finally {
    assertEquals(await a.stop(), 0, a.stderr.join("\n"));
    assertEquals(await b.stop(), 0, b.stderr.join("\n"));
    await rx.close();
  }
});

Deno.test("Fluent Bit's in_opentelemetry payloads are accepted as JSON and as protobuf", async () => {
  const port = freePort();
  const sluice = await startSluice(`
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: 'null'
      match: '*'
`);
  try {
    await waitListening(port);
    const files = [...Deno.readDirSync(DATA)].map((e) => e.name)
      .filter((n) => n.startsWith("fb-it-in_opentelemetry__")).sort();
    assertEquals(files.length, 7);
    for (const f of files) {
      const signal = /_(traces|logs|metrics)_/.exec(f)![1];
      const json = await postOtlp(port, `/v1/${signal}`, { body: read(f) });
      assertEquals([json.status, json.text], [201, "{}"], f);
      const proto = signal === "traces"
        ? encodeTraces(decodeTraces(read(f), "json"), "protobuf")
        : signal === "logs"
        ? encodeLogs(decodeLogs(read(f), "json"), "protobuf")
        : encodeMetrics(decodeMetrics(read(f), "json"), "protobuf");
      const p = await postOtlp(port, `/v1/${signal}`, {
        body: proto,
        headers: { "content-type": "application/protobuf" },
      });
      assertEquals(p.status, 201, `${f} as protobuf`);
    }
    // out_opentelemetry's fixture writes IDs in base64, which OTLP/JSON does not allow.
    const b64 = await postOtlp(
      port,
      "/v1/logs",
      { body: read("fb-it-out_opentelemetry__test_logs_metadata_001.in.json") },
    );
    assertEquals(b64.status, 400);
    const status = JSON.parse(b64.text);
    assertEquals(status.code, 3);
    assertStringIncludes(status.message, "logRecords[0].traceId: expected hex characters");
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
  }
});

Deno.test("a paused opentelemetry input answers 503 with Retry-After, then accepts again", async () => {
  const port = freePort();
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  const rx = startReceiver(async () => {
    await released;
    return new Response(null, { status: 200 });
  });
  const sluice = await startSluice(`
service:
  flush: 0.1
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
      mem_buf_limit: 1k
  outputs:
    - name: opentelemetry
      match: '*'
      host: 127.0.0.1
      port: ${rx.port}
`);
  try {
    await waitListening(port);
    const body = read("fb-it-in_opentelemetry__test_logs_001.in.json");
    assert(body.byteLength > 1000);
    assertEquals((await postOtlp(port, "/v1/logs", { body })).status, 201);
    const refused = await postOtlp(port, "/v1/logs", { body });
    assertEquals(refused.status, 503, refused.text);
    assertEquals(refused.headers.get("retry-after"), "1");
    assertStringIncludes(JSON.parse(refused.text).message, "mem_buf_limit");
    await waitFor(() => rx.requests.length === 1, { what: "the stalled export" });
    release();
    await waitFor(async () => (await postOtlp(port, "/v1/logs", { body })).status === 201, {
      what: "the input to resume",
    });
    await waitFor(() => sluice.stderr.some((l) => l.includes("paused (mem buf overlimit")), {
      what: "the pause in sluice's log",
    });
  } finally {
    release();
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await rx.close();
  }
});

Deno.test("the opentelemetry input takes a chunked request body (no Content-Length)", async () => {
  const port = freePort();
  const sluice = await startSluice(`
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: stdout
      match: '*'
`);
  try {
    await waitListening(port);
    const bytes = read("fb-it-in_opentelemetry__test_traces_001.in.json");
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 97) c.enqueue(bytes.slice(i, i + 97));
        c.close();
      },
    });
    const r = await postOtlp(port, "/v1/traces", { body: stream });
    assertEquals(r.status, 201, r.text);
    const line = await waitFor(() => sluice.stdout.find((l) => l.startsWith('{"resource"')));
    assertEquals(JSON.parse(line!).traceId, hexId(decodeTraces(bytes, "json")[0]!.traceId));
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
  }
});
