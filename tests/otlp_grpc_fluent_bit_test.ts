/**
 * OTLP/gRPC against the real Fluent Bit 4.2.8 both ways: its opentelemetry output with
 * `grpc on` (h2c prior knowledge) into sluice's opentelemetry input, and sluice's output
 * with `grpc on` into Fluent Bit's opentelemetry input, which forwards over OTLP/HTTP to
 * a receiver. Spans are compared field by field; the gRPC call counters show the calls
 * really went over gRPC. Skips when the peer binary is absent.
 */
import { decodeTraces, encodeTraces, hexId } from "../src/otlp/mod.ts";
import type { Span } from "../src/event/span.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { numberedSpanId, numberedTraceId, testSpan } from "../src/testing/spans.ts";
import { freePort, tempDirWith, waitFor } from "./_helpers.ts";
import { postOtlp, startReceiver, startSluice, waitListening } from "./_otlp_helpers.ts";
import { promMetric } from "./_outputs.ts";

function spans(n: number): Span[] {
  const resource = {
    attributes: { "service.name": "shop", "host.cpus": 8 },
    droppedAttributesCount: 0,
    schemaUrl: "",
  };
  const scope = {
    name: "@shop/http",
    version: "1.4.2",
    attributes: {},
    droppedAttributesCount: 0,
    schemaUrl: "",
  };
  return Array.from({ length: n }, (_, i) =>
    testSpan({
      resource,
      scope,
      traceId: numberedTraceId(i % 10),
      spanId: numberedSpanId(i),
      parentSpanId: i % 10 === 0 ? new Uint8Array(0) : numberedSpanId(i - (i % 10)),
      name: `op ${i}`,
      kind: 2,
      startTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
      endTimeUnixNano: 1_700_000_000_500_000_000n + BigInt(i),
      attributes: { "http.status_code": 200 + i, route: `/r/${i}`, ok: i % 2 === 0 },
      status: { code: i % 3 === 0 ? 2 : 0, message: i % 3 === 0 ? `bad ${i}` : "" },
    }));
}

/** Waits until something accepts TCP connections on 127.0.0.1:`port` (Fluent Bit's input). */
async function waitPort(port: number): Promise<void> {
  await waitFor(async () => {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return true;
    } catch {
      return false;
    }
  }, { timeoutMs: 30_000, what: `a listener on port ${port}` });
}

function checkSpan(got: Span | undefined, want: Span): void {
  assert(got, `span ${hexId(want.spanId)} arrived`);
  assertEquals(hexId(got.traceId), hexId(want.traceId));
  assertEquals(hexId(got.parentSpanId), hexId(want.parentSpanId));
  assertEquals([got.name, got.kind], [want.name, want.kind]);
  assertEquals([got.startTimeUnixNano, got.endTimeUnixNano], [
    want.startTimeUnixNano,
    want.endTimeUnixNano,
  ]);
  assertEquals(got.attributes, want.attributes);
  assertEquals(got.status, want.status);
  assertEquals(got.resource.attributes, want.resource.attributes);
  assertEquals([got.scope.name, got.scope.version], [want.scope.name, want.scope.version]);
}

Deno.test("Fluent Bit's opentelemetry output with grpc on delivers spans into sluice's input", async (t) => {
  const bin = await fluentBitPath();
  if (!bin) return void console.log(NO_PEER);
  const fbPort = freePort();
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
  const dir = await tempDirWith({
    "fb.yaml": `
service:
  flush: 0.2
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${fbPort}
  outputs:
    - name: opentelemetry
      match: '*'
      host: 127.0.0.1
      port: ${port}
      grpc: on
`,
  });
  const fb = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
  try {
    await waitListening(port);
    await waitPort(fbPort);
    const sent = spans(40);
    for (let i = 0; i < sent.length; i += 20) {
      const res = await postOtlp(fbPort, "/v1/traces", {
        body: encodeTraces(sent.slice(i, i + 20), "protobuf"),
        headers: { "content-type": "application/x-protobuf" },
      });
      assertEquals(res.status, 201, res.text);
    }
    const lines = await waitFor(() => {
      const got = sluice.stdout.filter((l) => l.startsWith('{"resource"'));
      return got.length >= sent.length ? got : undefined;
    }, { what: "40 spans on sluice's stdout" });
    const out = new Map(lines!.map((l) => JSON.parse(l)).map((o) => [o.spanId, o]));
    assertEquals(out.size, sent.length);
    for (const want of sent) {
      const o = out.get(hexId(want.spanId));
      assert(o, `span ${hexId(want.spanId)} came out`);
      assertEquals([o.traceId, o.parentSpanId], [hexId(want.traceId), hexId(want.parentSpanId)]);
      assertEquals([o.name, o.kind], [want.name, want.kind]);
      assertEquals(o.startTimeUnixNano, String(want.startTimeUnixNano));
      assertEquals(o.attributes, want.attributes);
      assertEquals(o.status, want.status);
      assertEquals(o.resource.attributes, want.resource.attributes);
    }
    const calls = await promMetric(metrics, "sluice_input_otlp_grpc_calls_total", 'code="0"');
    assert(calls >= 1, `Fluent Bit's exports came over gRPC (${calls} calls)`);
    await t.step("no error in Fluent Bit's log", () => {
      assert(!/\[error\]/.test(fb.stdout() + fb.stderr()), fb.stderr());
    });
  } finally {
    await fb.stop();
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Fluent Bit's grpc output delivers logs (enveloped) and its own metrics into sluice", async () => {
  const bin = await fluentBitPath();
  if (!bin) return void console.log(NO_PEER);
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
      format: json_lines
`);
  const dir = await tempDirWith({
    "fb.yaml": `
service:
  flush: 0.2
pipeline:
  inputs:
    - name: dummy
      dummy: '{"message": "payment failed", "order": 42}'
      samples: 3
      processors:
        logs:
          - name: opentelemetry_envelope
          - name: content_modifier
            context: otel_resource_attributes
            action: upsert
            key: service.name
            value: shop
    - name: fluentbit_metrics
      scrape_interval: 1
  outputs:
    - name: opentelemetry
      match: '*'
      host: 127.0.0.1
      port: ${port}
      grpc: on
`,
  });
  await waitListening(port);
  const fb = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
  try {
    const out = await waitFor(() => {
      const logs = sluice.stdout.filter((l) => l.includes("payment failed"));
      const metrics = sluice.stdout.filter((l) => l.includes("fluentbit_uptime"));
      return logs.length >= 3 && metrics.length > 0 ? { logs, metrics } : undefined;
    }, { what: "three logs and Fluent Bit's metrics on sluice's stdout" });
    // Fluent Bit's default logs_body_key ($log, then $message) made the body the message.
    const rec = JSON.parse(out!.logs[0]!);
    assertEquals(rec.log, "payment failed");
    assertEquals(rec.__internal__.group_attributes.resource.attributes, { "service.name": "shop" });
    assert(!/\[error\]/.test(fb.stdout() + fb.stderr()), fb.stderr());
  } finally {
    await fb.stop();
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await Deno.remove(dir, { recursive: true });
  }
});

async function sluiceIntoFluentBit(compress: string, count: number): Promise<void> {
  const bin = await fluentBitPath();
  if (!bin) return void console.log(NO_PEER);
  const fbPort = freePort();
  const port = freePort();
  const rx = startReceiver();
  const dir = await tempDirWith({
    "fb.yaml": `
service:
  flush: 0.2
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${fbPort}
  outputs:
    - name: opentelemetry
      match: '*'
      host: 127.0.0.1
      port: ${rx.port}
`,
  });
  const fb = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
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
      port: ${fbPort}
      grpc: on
${compress}`);
  try {
    await waitPort(fbPort);
    await waitListening(port);
    const sent = spans(count);
    const res = await postOtlp(port, "/v1/traces", {
      body: encodeTraces(sent, "protobuf"),
      headers: { "content-type": "application/x-protobuf" },
    });
    assertEquals(res.status, 201, res.text);
    await waitFor(() => {
      const n = rx.requests.filter((r) => r.path === "/v1/traces")
        .reduce((a, r) => a + decodeTraces(r.body, "protobuf").length, 0);
      return n >= sent.length;
    }, { what: `${count} spans forwarded by Fluent Bit` });
    const got = new Map(
      rx.requests.filter((r) => r.path === "/v1/traces")
        .flatMap((r) => decodeTraces(r.body, "protobuf"))
        .map((s) => [hexId(s.spanId), s]),
    );
    assertEquals(got.size, sent.length);
    for (const want of sent) checkSpan(got.get(hexId(want.spanId)), want);
    assert(!/\[error\]/.test(fb.stdout() + fb.stderr()), fb.stderr());
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await fb.stop();
    await rx.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("sluice's opentelemetry output with grpc on and gzip delivers spans into Fluent Bit's input", async () => {
  await sluiceIntoFluentBit("      compress: gzip\n", 40);
});

Deno.test("sluice's grpc output sends 3,000 spans (~400 KB, past HTTP/2's default 64 KiB window) into Fluent Bit", async () => {
  await sluiceIntoFluentBit("", 3000);
});
