import { zstdDecompressSync } from "node:zlib";
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { LogChunk, TraceChunk } from "../../../src/event/chunk.ts";
import { decodeTraces, encodeExportResponse, hexId } from "../../../src/otlp/mod.ts";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../../src/testing/assert.ts";
import { selfSignedCert, tlsServer } from "../../../src/testing/tls_certs.ts";
import { hexSpan } from "../../../src/testing/spans.ts";
import {
  chunkOf,
  groupEnd,
  groupStart,
  outputContext,
  outputOptions,
  testReceiver,
} from "./_testing.ts";
import { plugin } from "./mod.ts";
import { createOtlpOutput } from "./opentelemetry.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";

Deno.test("opentelemetry output declares Fluent Bit's keys and defaults", () => {
  assertEquals(plugin.signals, ["logs", "traces", "metrics"]);
  const d = outputOptions();
  assertEquals([d.host, d.port, d.logs_uri, d.traces_uri, d.metrics_uri], [
    "127.0.0.1",
    80,
    "/v1/logs",
    "/v1/traces",
    "/v1/metrics",
  ]);
  assertEquals([d.batch_size, d.format, d.logs_metadata_key, d.log_response_payload], [
    1000,
    "protobuf",
    "otlp",
    true,
  ]);
});

Deno.test("write() posts spans as OTLP/HTTP protobuf and returns on 200", async () => {
  const rx = testReceiver();
  const out = createOtlpOutput(outputOptions({ port: rx.port }), outputContext());
  try {
    await out.write(
      chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331", { name: "GET /" })]),
    );
  } finally {
    await out.close?.();
    await rx.close();
  }
  assertEquals(rx.requests.length, 1);
  const r = rx.requests[0]!;
  assertEquals(r.path, "/v1/traces");
  assertEquals(r.headers.get("content-type"), "application/x-protobuf");
  assertStringIncludes(r.headers.get("user-agent") ?? "", "sluice/");
  const spans = decodeTraces(r.body, "protobuf");
  assertEquals(spans.map((s) => [hexId(s.traceId), hexId(s.spanId), s.name]), [
    [TRACE, "b7ad6b7169203331", "GET /"],
  ]);
  assertEquals(spans[0]!.resource.attributes, { "service.name": "svc" });
});

Deno.test("write() sends OTLP/JSON with format json", async () => {
  const rx = testReceiver(() => new Response("{}", { status: 200 }));
  const out = createOtlpOutput(outputOptions({ port: rx.port, format: "json" }), outputContext());
  await out.write(chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331")]));
  await out.close?.();
  await rx.close();
  assertEquals(rx.requests[0]!.headers.get("content-type"), "application/json");
  assertEquals(decodeTraces(rx.requests[0]!.body, "json")[0]!.name, "op");
});

Deno.test("write() throws RetryableError with Retry-After on 429, 502, 503 and 504", async () => {
  const statuses = [429, 502, 503, 504];
  const rx = testReceiver((n) =>
    new Response("slow down", {
      status: statuses[n - 1],
      headers: n === 1 ? { "retry-after": "7" } : n === 2 ? { "retry-after": "soon" } : {},
    })
  );
  const out = createOtlpOutput(outputOptions({ port: rx.port }), outputContext());
  const chunk = chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331")]);
  try {
    for (const status of statuses) {
      const e = await assertRejects(() => out.write(chunk), RetryableError);
      assertEquals((e as RetryableError).status, status);
      assertEquals((e as RetryableError).retryAfter, status === 429 ? 7 : undefined);
      assertStringIncludes(e.message, `HTTP ${status}`);
    }
  } finally {
    await out.close?.();
    await rx.close();
  }
});

Deno.test("write() throws PermanentError on 400 and 500, with the answer in the message", async () => {
  const rx = testReceiver((n) => new Response(`bad ${n}`, { status: n === 1 ? 400 : 500 }));
  const out = createOtlpOutput(outputOptions({ port: rx.port }), outputContext());
  const chunk = chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331")]);
  try {
    const e400 = await assertRejects(() => out.write(chunk), PermanentError);
    assertEquals((e400 as PermanentError).status, 400);
    assertStringIncludes(e400.message, "bad 1");
    const e500 = await assertRejects(() => out.write(chunk), PermanentError);
    assertEquals((e500 as PermanentError).status, 500);
  } finally {
    await out.close?.();
    await rx.close();
  }
});

Deno.test("write() throws RetryableError when the receiver cannot be reached", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const out = createOtlpOutput(outputOptions({ port }), outputContext());
  const e = await assertRejects(
    () => out.write(chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331")])),
    RetryableError,
  );
  assertStringIncludes(e.message, `127.0.0.1:${port}`);
  await out.close?.();
});

Deno.test("write() counts partial_success rejections and logs them once, without retrying", async () => {
  const answer = encodeExportResponse(
    { partialSuccess: { rejected: 2, errorMessage: "spans too old" } },
    { signal: "traces", format: "protobuf" },
  );
  const rx = testReceiver(() =>
    new Response(answer as Uint8Array<ArrayBuffer>, {
      status: 200,
      headers: { "content-type": "application/x-protobuf" },
    })
  );
  const ctx = outputContext();
  const out = createOtlpOutput(outputOptions({ port: rx.port }), ctx);
  const spans = [hexSpan(TRACE, "b7ad6b7169203331"), hexSpan(TRACE, "b7ad6b7169203332")];
  await out.write(chunkOf<TraceChunk>("traces", spans));
  await out.write(chunkOf<TraceChunk>("traces", spans));
  await out.close?.();
  await rx.close();
  assertEquals(rx.requests.length, 2);
  assertEquals(
    ctx.metrics.value("sluice_output_otlp_partial_success_rejected_total", {
      name: "opentelemetry.0",
    }),
    4,
  );
  const warned = ctx.lines.filter((l) => l.includes("spans too old"));
  assertEquals(warned.length, 1);
  assertStringIncludes(warned[0]!, "rejected 2 of 2 traces items");
});

Deno.test("write() gzips with compress gzip and sends headers and basic auth", async () => {
  const rx = testReceiver();
  const out = createOtlpOutput(
    outputOptions({
      port: rx.port,
      compress: "gzip",
      header: ["X-Tenant acme", "X-Scope-OrgID  team a"],
      http_user: "fluent",
      http_passwd: "p@ss",
    }),
    outputContext(),
  );
  await out.write(chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331")]));
  await out.close?.();
  await rx.close();
  const r = rx.requests[0]!;
  assertEquals(r.headers.get("content-encoding"), "gzip");
  assertEquals(r.headers.get("x-tenant"), "acme");
  assertEquals(r.headers.get("x-scope-orgid"), "team a");
  assertEquals(r.headers.get("authorization"), `Basic ${btoa("fluent:p@ss")}`);
  const inflated = new Uint8Array(
    await new Response(
      new Blob([r.body as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
        new DecompressionStream("gzip"),
      ),
    ).arrayBuffer(),
  );
  assertEquals(decodeTraces(inflated, "protobuf").length, 1);
});

Deno.test("write() compresses with zstd (Fluent Bit's other out_opentelemetry compression)", async () => {
  const rx = testReceiver();
  const out = createOtlpOutput(outputOptions({ port: rx.port, compress: "zstd" }), outputContext());
  await out.write(chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331")]));
  await out.close?.();
  await rx.close();
  const r = rx.requests[0]!;
  assertEquals(r.headers.get("content-encoding"), "zstd");
  const inflated = new Uint8Array(zstdDecompressSync(r.body));
  assertEquals(decodeTraces(inflated, "protobuf").length, 1);
});

Deno.test("write() exports over TLS to a self-signed receiver with tls.verify off", async () => {
  const cert = await selfSignedCert();
  const server = tlsServer(cert);
  const ctx = outputContext();
  const out = createOtlpOutput(
    outputOptions({ port: server.port, tls: true, "tls.verify": false }),
    ctx,
  );
  try {
    await out.write(chunkOf<TraceChunk>("traces", [hexSpan(TRACE, "b7ad6b7169203331")]));
    assertEquals(server.bodies.length, 1);
    assertEquals(ctx.lines.filter((l) => l.includes("tls.verify off")).length, 1);
  } finally {
    await out.close?.();
    await server.close();
    await Deno.remove(cert.dir, { recursive: true });
  }
});

Deno.test("createOtlpOutput() refuses grpc with json, snappy and a malformed header before sending", () => {
  const ctx = outputContext();
  assertThrows(
    () => createOtlpOutput(outputOptions({ grpc: true, format: "json" }), ctx),
    RangeError,
    "grpc",
  );
  assertThrows(
    () => createOtlpOutput(outputOptions({ compress: "snappy" }), ctx),
    RangeError,
    "snappy",
  );
  assertThrows(
    () => createOtlpOutput(outputOptions({ http2: "force" }), ctx),
    RangeError,
    "http2",
  );
  assertThrows(
    () => createOtlpOutput(outputOptions({ header: ["NoValue"] }), ctx),
    SyntaxError,
    "header",
  );
});

Deno.test("write() on an empty chunk sends nothing; close twice is safe", async () => {
  const rx = testReceiver();
  const out = createOtlpOutput(outputOptions({ port: rx.port }), outputContext());
  await out.write(
    chunkOf<LogChunk>("logs", [groupStart("a", { resource: 0, scope: 0 }), groupEnd()]),
  );
  await out.write(chunkOf<TraceChunk>("traces", []));
  await out.close?.();
  await out.close?.();
  await rx.close();
  assertEquals(rx.requests.length, 0);
});
