import { errorMessage } from "../../../src/error_message.ts";
import type { Chunk, TraceChunk } from "../../../src/event/chunk.ts";
import { encodeTraces, hexId } from "../../../src/otlp/mod.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../../src/testing/assert.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { inputOptions } from "./_testing.ts";
import { hexSpan } from "../../../src/testing/spans.ts";
import { plugin } from "./mod.ts";
import { createOtlpInput } from "./opentelemetry.ts";

const TLS_DIR = new URL("../../../testdata/otlp/tls/", import.meta.url).pathname;
const TRACE = "0af7651916cd43dd8448eb211c80319c";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

function isFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

/** Pulls chunks in the background, acking them, as the engine would. */
function drain(chunks: AsyncIterable<Chunk>): { got: Chunk[]; done: Promise<void> } {
  const got: Chunk[] = [];
  const done = (async () => {
    for await (const c of chunks) {
      got.push(c);
      c.ack.release();
    }
  })();
  return { got, done };
}

Deno.test("opentelemetry plugin declares Fluent Bit's keys and defaults", () => {
  assertEquals(plugin.name, "opentelemetry");
  assertEquals(plugin.signals, ["logs", "traces", "metrics"]);
  const o = inputOptions();
  assertEquals(
    [o.listen, o.port, o.tag_from_uri, o.successful_response_code, o.logs_metadata_key],
    ["0.0.0.0", 4318, true, 201, "otlp"],
  );
  assertEquals([o.buffer_max_size, o.raw_traces, o.logs_body_key], [4_000_000, false, undefined]);
});

Deno.test("createOtlpInput() binds only when chunks are pulled, and stops on abort", async () => {
  const port = freePort();
  const ctx = testInputContext({ name: "opentelemetry.0" });
  const input = createOtlpInput(inputOptions({ listen: "127.0.0.1", port }), ctx);
  assert(isFree(port), "create does not bind");
  const { got, done } = drain(input.chunks);
  assertEquals(await input.listening, port);
  const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/x-protobuf" },
    body: encodeTraces([hexSpan(TRACE, "b7ad6b7169203331")], "protobuf") as Uint8Array<ArrayBuffer>,
  });
  assertEquals(res.status, 201);
  await res.body?.cancel();
  ctx.controller.abort();
  await done;
  await input.close?.();
  await input.close?.();
  assertEquals(got.length, 1);
  assertEquals(hexId((got[0] as TraceChunk).records[0]!.spanId), "b7ad6b7169203331");
  assert(isFree(port), "the port is released");
  assertStringIncludes(ctx.logLines.join("\n"), `listening on 127.0.0.1:${port}`);
});

Deno.test("createOtlpInput() closed before the first pull never binds", async () => {
  const port = freePort();
  const ctx = testInputContext();
  const input = createOtlpInput(inputOptions({ listen: "127.0.0.1", port }), ctx);
  await input.close?.();
  const { got, done } = drain(input.chunks);
  await done;
  assertEquals(got.length, 0);
  assert(isFree(port));
});

Deno.test("createOtlpInput() fails the generator with the address when the port is taken", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  try {
    const input = createOtlpInput(inputOptions({ host: "127.0.0.1", port }), testInputContext());
    const err = await assertRejects(() => drain(input.chunks).done);
    assertStringIncludes(errorMessage(err), `127.0.0.1:${port}`);
    await input.close?.();
  } finally {
    l.close();
  }
});

Deno.test("createOtlpInput() serves HTTPS with tls.crt_file and tls.key_file", async () => {
  const port = freePort();
  const ctx = testInputContext();
  const input = createOtlpInput(
    inputOptions({
      listen: "127.0.0.1",
      port,
      tls: true,
      "tls.crt_file": `${TLS_DIR}server.crt`,
      "tls.key_file": `${TLS_DIR}server.key`,
    }),
    ctx,
  );
  const { got, done } = drain(input.chunks);
  await input.listening;
  const client = Deno.createHttpClient({ caCerts: [Deno.readTextFileSync(`${TLS_DIR}ca.crt`)] });
  try {
    const res = await fetch(`https://localhost:${port}/v1/traces`, {
      method: "POST",
      client,
      headers: { "content-type": "application/json" },
      body: encodeTraces([hexSpan(TRACE, "b7ad6b7169203331")], "json") as Uint8Array<ArrayBuffer>,
    });
    assertEquals(res.status, 201);
    await res.body?.cancel();
  } finally {
    client.close();
  }
  ctx.controller.abort();
  await done;
  assertEquals(got.length, 1);
});

Deno.test("createOtlpInput() refuses tls without a certificate, before binding", () => {
  const err = assertThrows(() =>
    createOtlpInput(inputOptions({ tls: true, "tls.key_file": "/nonexistent" }), testInputContext())
  );
  assert(err instanceof RangeError);
  assertStringIncludes(err.message, "tls.crt_file");
});

Deno.test("createOtlpInput() warns that tag is unused while tag_from_uri is on", () => {
  const ctx = testInputContext({ name: "opentelemetry.0", tag: "mine" });
  createOtlpInput(inputOptions(), ctx);
  assertStringIncludes(ctx.logLines.join("\n"), "tag_from_uri");
});
