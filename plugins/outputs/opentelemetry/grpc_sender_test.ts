/**
 * The opentelemetry output with `grpc on` against sluice's own gRPC ingress (h2c, and TLS
 * through the HTTP ingress's ALPN hand-off): the request is the Export call of its signal,
 * gzip and headers arrive, partial_success is counted, and each gRPC status becomes the
 * engine's verdict (retryable, with the RetryInfo delay, or permanent).
 */
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { TraceChunk } from "../../../src/event/chunk.ts";
import { type GrpcCall, GrpcCode, GrpcIngress, type GrpcReply } from "../../../src/net/grpc/mod.ts";
import { headerValue } from "../../../src/net/http2/hpack.ts";
import { serveHttp } from "../../../src/net/http_server/mod.ts";
import { decodeTraces, encodeExportResponse } from "../../../src/otlp/mod.ts";
import { assert, assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { hexSpan } from "../../../src/testing/spans.ts";
import { selfSignedCert } from "../../../src/testing/tls_certs.ts";
import { chunkOf, outputContext, outputOptions } from "./_testing.ts";
import { createOtlpOutput } from "./opentelemetry.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const SPANS = [hexSpan(TRACE, "b7ad6b7169203331"), hexSpan(TRACE, "b7ad6b7169203332")];

/** A gRPC server on 127.0.0.1 answering each call with `reply`. */
function grpcServer(
  reply: (call: GrpcCall) => GrpcReply,
  tls?: { cert: string; key: string },
) {
  const calls: GrpcCall[] = [];
  const ingress = new GrpcIngress((call) => {
    calls.push(call);
    return Promise.resolve(reply(call));
  }, { limit: 4_000_000, maxConcurrentStreams: 100, maxConnections: 10, idleTimeoutMs: 5000 });
  const server = serveHttp(() => new Response("HTTP/1.1 here"), {
    hostname: "127.0.0.1",
    port: 0,
    tls,
    headerTimeoutMs: 5000,
    idleTimeoutMs: 5000,
    maxConnections: 10,
    http2: (conn, prefix) => ingress.take(conn, prefix),
  });
  return {
    port: server.port,
    calls,
    async close() {
      await server.close();
      await ingress.close();
    },
  };
}

Deno.test("grpc on: spans go as a TraceService Export call, gzip and headers included", async () => {
  const rx = grpcServer(() => ({ code: GrpcCode.OK, response: new Uint8Array(0) }));
  const out = createOtlpOutput(
    outputOptions({ port: rx.port, grpc: true, compress: "gzip", header: ["X-Tenant acme"] }),
    outputContext(),
  );
  try {
    await out.write(chunkOf<TraceChunk>("traces", SPANS));
    assertEquals(rx.calls.length, 1);
    const call = rx.calls[0]!;
    assertEquals(call.path, "/opentelemetry.proto.collector.trace.v1.TraceService/Export");
    assertEquals(headerValue(call.headers, "grpc-encoding"), "gzip");
    assertEquals(headerValue(call.headers, "x-tenant"), "acme");
    assertEquals(decodeTraces(call.message, "protobuf").map((s) => s.name), ["op", "op"]);
  } finally {
    await out.close?.();
    await rx.close();
  }
});

Deno.test("grpc on: partial_success is counted and logged once, not retried", async () => {
  const answer = encodeExportResponse(
    { partialSuccess: { rejected: 2, errorMessage: "spans too old" } },
    { signal: "traces", format: "protobuf" },
  );
  const rx = grpcServer(() => ({ code: GrpcCode.OK, response: answer }));
  const ctx = outputContext();
  const out = createOtlpOutput(outputOptions({ port: rx.port, grpc: true }), ctx);
  try {
    await out.write(chunkOf<TraceChunk>("traces", SPANS));
    await out.write(chunkOf<TraceChunk>("traces", SPANS));
    assertEquals(
      ctx.metrics.value("sluice_output_otlp_partial_success_rejected_total", {
        name: "opentelemetry.0",
      }),
      4,
    );
    assertEquals(ctx.lines.filter((l) => l.includes("spans too old")).length, 1);
  } finally {
    await out.close?.();
    await rx.close();
  }
});

Deno.test("grpc on: gRPC statuses map to retryable or permanent as the OTLP spec says", async () => {
  let reply: GrpcReply = { code: GrpcCode.OK };
  const rx = grpcServer(() => reply);
  const out = createOtlpOutput(outputOptions({ port: rx.port, grpc: true }), outputContext());
  const write = () => out.write(chunkOf<TraceChunk>("traces", SPANS));
  try {
    reply = { code: GrpcCode.UNAVAILABLE, message: "paused", retryAfter: 3 };
    const e = await assertRejects(write, RetryableError);
    assertEquals((e as RetryableError).retryAfter, 3);
    assert(e.message.includes("UNAVAILABLE (14): paused"), e.message);
    reply = { code: GrpcCode.RESOURCE_EXHAUSTED, message: "slow down", retryAfter: 1 };
    await assertRejects(write, RetryableError);
    reply = { code: GrpcCode.RESOURCE_EXHAUSTED, message: "too big" };
    await assertRejects(write, PermanentError, "RESOURCE_EXHAUSTED");
    reply = { code: GrpcCode.INVALID_ARGUMENT, message: "bad span" };
    await assertRejects(write, PermanentError, "bad span");
    reply = { code: GrpcCode.UNIMPLEMENTED };
    await assertRejects(write, PermanentError, "UNIMPLEMENTED");
    reply = { code: GrpcCode.DEADLINE_EXCEEDED };
    await assertRejects(write, RetryableError);
    reply = { code: GrpcCode.OK };
    await write();
  } finally {
    await out.close?.();
    await rx.close();
  }
});

Deno.test("grpc on: a server that is down is a retryable failure", async () => {
  const rx = grpcServer(() => ({ code: GrpcCode.OK }));
  const port = rx.port;
  await rx.close();
  const out = createOtlpOutput(outputOptions({ port, grpc: true }), outputContext());
  await assertRejects(() => out.write(chunkOf<TraceChunk>("traces", SPANS)), RetryableError);
  await out.close?.();
});

Deno.test("grpc on with tls: HTTP/2 over TLS (ALPN h2) on a port that also serves HTTPS", async () => {
  const cert = await selfSignedCert();
  const rx = grpcServer(() => ({ code: GrpcCode.OK }), cert);
  const out = createOtlpOutput(
    outputOptions({ port: rx.port, grpc: true, tls: true, "tls.ca_file": cert.certFile }),
    outputContext(),
  );
  try {
    await out.write(chunkOf<TraceChunk>("traces", SPANS));
    assertEquals(rx.calls.length, 1);
    const client = Deno.createHttpClient({ caCerts: [cert.cert], http2: false });
    const res = await fetch(`https://127.0.0.1:${rx.port}/`, { client });
    assertEquals(await res.text(), "HTTP/1.1 here");
    client.close();
  } finally {
    await out.close?.();
    await rx.close();
    await Deno.remove(cert.dir, { recursive: true });
  }
});
