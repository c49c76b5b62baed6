/**
 * The opentelemetry input's gRPC handler over a real HTTP/2 connection (sluice's gRPC
 * client into the input's one port): each receiver decision becomes its gRPC status, and
 * HTTP/1.1 keeps working on the same port.
 */
import { encodeTraces } from "../../../src/otlp/mod.ts";
import { GrpcClient, GrpcCode } from "../../../src/net/grpc/mod.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { hexSpan } from "../../../src/testing/spans.ts";
import { inputOptions } from "./_testing.ts";
import { createOtlpInput } from "./opentelemetry.ts";

const TRACES = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
const SPAN = hexSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");

Deno.test("gRPC Export calls get the receiver's verdicts as gRPC statuses", async () => {
  let paused = false;
  const ctx = testInputContext({ name: "opentelemetry.0", isPaused: () => paused });
  const input = createOtlpInput(
    inputOptions({ listen: "127.0.0.1", port: 0, "auth.bearer_token": "s3cret" }),
    ctx,
  );
  const chunks = input.chunks[Symbol.asyncIterator]();
  const first = chunks.next();
  const port = await input.listening;
  const client = new GrpcClient({ host: "127.0.0.1", port, connectTimeoutMs: 5000 });
  const auth: Array<[string, string]> = [["authorization", "Bearer s3cret"]];
  const call = (path: string, body: Uint8Array, headers = auth) =>
    client.unary(path, body, { headers, timeoutMs: 5000 });
  try {
    const ok = call(TRACES, encodeTraces([SPAN], "protobuf"));
    const chunk = (await first).value;
    chunk?.ack.release();
    assertEquals((await ok).code, GrpcCode.OK);
    assertEquals(chunk?.signal, "traces");
    assertEquals(
      (await call(TRACES, new Uint8Array([0xff, 0xff]))).code,
      GrpcCode.INVALID_ARGUMENT,
    );
    assertEquals((await call(TRACES, new Uint8Array(0), [])).code, GrpcCode.UNAUTHENTICATED);
    assertEquals((await call("/x.Y/Z", new Uint8Array(0))).code, GrpcCode.UNIMPLEMENTED);
    paused = true;
    const busy = await call(TRACES, encodeTraces([SPAN], "protobuf"));
    assertEquals([busy.code, busy.retryAfter], [GrpcCode.UNAVAILABLE, 1]);
    paused = false;
    const res = await fetch(`http://127.0.0.1:${port}/v1/traces`);
    assertEquals(res.status, 405, "HTTP/1.1 on the same port");
    await res.body?.cancel();
    const h2c = Deno.createHttpClient({ http1: false, http2: true });
    const posted = fetch(`http://127.0.0.1:${port}/v1/traces`, {
      method: "POST",
      client: h2c,
      headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
      body: encodeTraces([SPAN], "json") as Uint8Array<ArrayBuffer>,
    });
    (await chunks.next()).value?.ack.release();
    const h2 = await posted;
    assertEquals(h2.status, 201, "OTLP/HTTP over h2c prior knowledge");
    await h2.body?.cancel();
    h2c.close();
  } finally {
    client.close();
    ctx.controller.abort();
    await chunks.next();
    await input.close?.();
  }
});

Deno.test("http2 off: the port speaks HTTP/1.1 only and a gRPC call fails to connect", async () => {
  const ctx = testInputContext({ name: "opentelemetry.0" });
  const input = createOtlpInput(
    inputOptions({ listen: "127.0.0.1", port: 0, http2: false }),
    ctx,
  );
  const chunks = input.chunks[Symbol.asyncIterator]();
  const first = chunks.next();
  const port = await input.listening;
  const client = new GrpcClient({ host: "127.0.0.1", port, connectTimeoutMs: 5000 });
  try {
    const failed = await client.unary(TRACES, encodeTraces([SPAN], "protobuf"), { timeoutMs: 5000 })
      .then(() => false, () => true);
    assertEquals(failed, true);
  } finally {
    client.close();
    ctx.controller.abort();
    await first;
    await input.close?.();
  }
});
