import { encodeTraces } from "../../../src/otlp/mod.ts";
import { assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import { until } from "../../../src/testing/until.ts";
import { gzip, receiverHarness } from "./_testing.ts";
import { post } from "../../../src/testing/request.ts";
import { hexSpan } from "../../../src/testing/spans.ts";

const TRACE = "5b8efff798038103d269b633813fc60c";
const JSON_HEADERS = { "content-type": "application/json" };

Deno.test("handle() answers 404 for unknown paths and 405 for other methods", async () => {
  const h = receiverHarness();
  const res = await h.receiver.handle(post("/v1/profiles", "x"));
  assertEquals(res.status, 404);
  assertStringIncludes(await res.text(), "/v1/profiles");
  const get = await h.receiver.handle(new Request("http://127.0.0.1:4318/v1/logs"));
  assertEquals(get.status, 405);
  assertEquals(get.headers.get("allow"), "POST");
  await get.body?.cancel();
  await h.stop();
});

Deno.test("handle() answers 415 for unknown content types, gRPC and deflate", async () => {
  const h = receiverHarness();
  const text = await h.receiver.handle(post("/v1/logs", "x", { "content-type": "text/plain" }));
  assertEquals(text.status, 415);
  assertStringIncludes(await text.text(), "application/x-protobuf");
  const grpc = await h.receiver.handle(
    post("/v1/logs", "x", { "content-type": "application/grpc" }),
  );
  assertEquals(grpc.status, 415);
  await grpc.body?.cancel();
  const deflate = await h.receiver.handle(
    post("/v1/logs", "x", { ...JSON_HEADERS, "content-encoding": "deflate" }),
  );
  assertEquals(deflate.status, 415);
  assertStringIncludes((await deflate.json()).message, '"deflate"');
  await h.stop();
});

Deno.test("handle() takes gzip bodies and rejects corrupt gzip with 400", async () => {
  const h = receiverHarness();
  const body = await gzip(encodeTraces([hexSpan(TRACE, "0102030405060708")], "protobuf"));
  const ok = await h.receiver.handle(
    post("/v1/traces", body, {
      "content-type": "application/protobuf",
      "content-encoding": "gzip",
    }),
  );
  assertEquals(ok.status, 201);
  await ok.body?.cancel();
  const bad = await h.receiver.handle(
    post("/v1/traces", new Uint8Array([31, 139, 8, 0, 1, 2, 3]), {
      "content-type": "application/x-protobuf",
      "content-encoding": "gzip",
    }),
  );
  assertEquals(bad.status, 400);
  await bad.body?.cancel();
  await h.stop();
  assertEquals(h.chunks.length, 1);
});

Deno.test("handle() answers 413 above buffer_max_size, before and after gunzip", async () => {
  const h = receiverHarness({ buffer_max_size: 1000 });
  const big = new Uint8Array(5000);
  const plain = await h.receiver.handle(post("/v1/traces", big));
  assertEquals(plain.status, 413);
  await plain.body?.cancel();
  const bomb = await h.receiver.handle(
    post("/v1/traces", await gzip(big), {
      "content-type": "application/x-protobuf",
      "content-encoding": "gzip",
    }),
  );
  assertEquals(bomb.status, 413);
  assertStringIncludes(
    new TextDecoder().decode(new Uint8Array(await bomb.arrayBuffer())),
    "once inflated",
  );
  await h.stop();
});

Deno.test("handle() requires the bearer token when auth.bearer_token is set", async () => {
  const h = receiverHarness({ "auth.bearer_token": "s3cret" });
  const body = encodeTraces([hexSpan(TRACE, "0102030405060708")], "protobuf");
  for (const auth of [undefined, "Bearer nope", "Basic s3cret", "Bearer s3cret2"]) {
    const headers: Record<string, string> = { "content-type": "application/x-protobuf" };
    if (auth) headers.authorization = auth;
    const res = await h.receiver.handle(post("/v1/traces", body, headers));
    assertEquals(res.status, 401, String(auth));
    assertEquals(res.headers.get("www-authenticate"), "Bearer");
    await res.body?.cancel();
  }
  const ok = await h.receiver.handle(
    post("/v1/traces", body, {
      "content-type": "application/x-protobuf",
      authorization: "Bearer s3cret",
    }),
  );
  assertEquals(ok.status, 201);
  await ok.body?.cancel();
  await h.stop();
});

Deno.test("handle() answers 503 with Retry-After while paused, and after close", async () => {
  let paused = true;
  const h = receiverHarness({}, { ctx: { isPaused: () => paused } });
  const body = encodeTraces([hexSpan(TRACE, "0102030405060708")], "protobuf");
  const res = await h.receiver.handle(post("/v1/traces", body));
  assertEquals(res.status, 503);
  assertEquals(res.headers.get("retry-after"), "1");
  await res.body?.cancel();
  paused = false;
  const ok = await h.receiver.handle(post("/v1/traces", body));
  assertEquals(ok.status, 201);
  await ok.body?.cancel();
  await h.stop();
  const closed = await h.receiver.handle(post("/v1/traces", body));
  assertEquals(closed.status, 503);
  await closed.body?.cancel();
});

Deno.test("handle() answers 503 when the ingress queue is full", async () => {
  const h = receiverHarness({ "http_server.ingress_queue_event_limit": 1 }, { pull: false });
  const body = encodeTraces([hexSpan(TRACE, "0102030405060708")], "protobuf");
  const first = h.receiver.handle(post("/v1/traces", body));
  await until(() => h.receiver.waiting === 1, "the request to wait for the engine");
  const second = await h.receiver.handle(post("/v1/traces", body));
  assertEquals(second.status, 503);
  assertStringIncludes(
    new TextDecoder().decode(new Uint8Array(await second.arrayBuffer())),
    "queue",
  );
  h.receiver.close();
  assertEquals((await first).status, 503);
});

Deno.test("handle() uses successful_response_code: 204 has no body, 200 has one", async () => {
  const body = encodeTraces([hexSpan(TRACE, "0102030405060708")], "json");
  for (const code of [200, 204]) {
    const h = receiverHarness({ successful_response_code: code });
    const res = await h.receiver.handle(post("/v1/traces", body, JSON_HEADERS));
    assertEquals(res.status, code);
    assertEquals(await res.text(), code === 204 ? "" : "{}");
    await h.stop();
  }
});

Deno.test("handle() answers 400 with a protobuf Status for a malformed protobuf body", async () => {
  const h = receiverHarness();
  const res = await h.receiver.handle(post("/v1/logs", new Uint8Array([0x0a, 0xff, 0xff])));
  assertEquals(res.status, 400);
  assertEquals(res.headers.get("content-type"), "application/x-protobuf");
  const bytes = new Uint8Array(await res.arrayBuffer());
  assertEquals(bytes[0], 0x08, "field 1 (code) first");
  assertEquals(bytes[1], 3, "INVALID_ARGUMENT");
  assertEquals(bytes[2], 0x12, "field 2 (message)");
  await h.stop();
  assertEquals(
    h.ctx.metrics.value("sluice_input_otlp_requests_total", {
      name: "opentelemetry.0",
      code: "400",
    }),
    1,
  );
});

Deno.test("handle() takes zstd bodies, as Fluent Bit does", async () => {
  const { zstdCompressSync } = await import("node:zlib");
  const h = receiverHarness();
  const body = zstdCompressSync(encodeTraces([hexSpan(TRACE, "0102030405060708")], "protobuf"));
  const ok = await h.receiver.handle(
    post("/v1/traces", new Uint8Array(body), {
      "content-type": "application/x-protobuf",
      "content-encoding": "zstd",
    }),
  );
  assertEquals(ok.status, 201);
  await ok.body?.cancel();
  await h.stop();
  assertEquals(h.chunks.length, 1);
});
