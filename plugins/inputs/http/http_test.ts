import { defaultsOf } from "../../../src/config/options.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { encodeValue } from "../../../src/event/msgpack.ts";
import { assert, assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import { type TestInputContext, testInputContext } from "../../../src/testing/input_context.ts";
import { createHttpInput, type HttpInput, tagOfPath } from "./http.ts";
import { type HttpInputOptions, httpInputOptions } from "./options.ts";

interface Harness {
  input: HttpInput;
  ctx: TestInputContext;
  chunks: LogChunk[];
  post(path: string, body: BodyInit, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

/** An input on a free port whose chunks a fake engine takes as they come. */
async function harness(overrides: Partial<HttpInputOptions> = {}): Promise<Harness> {
  const ctx = testInputContext({ name: "http.0" });
  const input = createHttpInput(
    { ...defaultsOf(httpInputOptions), listen: "127.0.0.1", port: 0, ...overrides },
    ctx,
  );
  const chunks: LogChunk[] = [];
  const consuming = (async () => {
    for await (const c of input.chunks as AsyncIterable<Chunk>) {
      chunks.push(c as LogChunk);
      c.ack.release();
    }
  })();
  const port = await input.listening;
  return {
    input,
    ctx,
    chunks,
    post: (path, body, headers = { "content-type": "application/json" }) =>
      fetch(`http://127.0.0.1:${port}${path}`, { method: "POST", body, headers }),
    async stop() {
      await input.close!();
      await consuming;
    },
  };
}

Deno.test("tagOfPath sanitizes the URL path as Fluent Bit does", () => {
  assertEquals(tagOfPath("/app.log"), "app.log");
  assertEquals(tagOfPath("/app/log"), "app_log");
  assertEquals(tagOfPath("/a%20b-c"), "a_20b_c");
  assertEquals(tagOfPath("/"), "");
});

Deno.test("http input: object, array and concatenated JSON bodies become records", async () => {
  const h = await harness();
  try {
    const one = await h.post("/app.log", '{"a":1}');
    assertEquals(one.status, 201);
    assertEquals(await one.text(), "");
    const many = await h.post("/", '[{"a":1},{"b":2}]');
    assertEquals(many.status, 201);
    await many.body?.cancel();
    const nd = await h.post("/nd", '{"x":1}\n{"x":2}\n');
    assertEquals(nd.status, 201);
    await nd.body?.cancel();
  } finally {
    await h.stop();
  }
  assertEquals(h.chunks.map((c) => c.tag), ["app.log", "http.0", "nd"]);
  assertEquals(h.chunks[0]!.records[0]!.body, { a: 1 });
  assertEquals(h.chunks[1]!.records.map((r) => r.body), [{ a: 1 }, { b: 2 }]);
  assert(h.chunks[1]!.records[0]!.time === h.chunks[1]!.records[1]!.time, "one timestamp");
  assertEquals(h.chunks[2]!.records.length, 2);
});

Deno.test("http input: tag_key, success_header, successful_response_code", async () => {
  const h = await harness({
    tag_key: "$user['id']",
    success_header: ["X-Ok yes please"],
    successful_response_code: 200,
  });
  try {
    const res = await h.post("/x", '[{"user":{"id":"svc/a"}},{"m":1}]');
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("x-ok"), "yes please");
    await res.body?.cancel();
  } finally {
    await h.stop();
  }
  assertEquals(h.chunks.map((c) => [c.tag, c.records.length]), [["svc_a", 1], ["x", 1]]);
});

Deno.test("http input: msgpack, urlencoded and gzip bodies", async () => {
  const h = await harness();
  try {
    const mp = await h.post("/m", encodeValue([{ a: 1 }, { b: "x" }]) as BodyInit, {
      "content-type": "application/msgpack",
    });
    assertEquals(mp.status, 201);
    await mp.body?.cancel();
    const form = await h.post("/f", "a=1&b=x%20y+z&skip", {
      "content-type": "application/x-www-form-urlencoded",
    });
    assertEquals(form.status, 201);
    await form.body?.cancel();
    const gz = await new Response(
      new Blob(['{"g":1}']).stream().pipeThrough(new CompressionStream("gzip")),
    ).bytes();
    const zipped = await h.post("/g", gz, {
      "content-type": "application/json",
      "content-encoding": "gzip",
    });
    assertEquals(zipped.status, 201);
    await zipped.body?.cancel();
  } finally {
    await h.stop();
  }
  assertEquals(h.chunks.map((c) => c.records.map((r) => r.body)), [
    [{ a: 1 }, { b: "x" }],
    [{ a: "1", b: "x y z" }],
    [{ g: 1 }],
  ]);
});

Deno.test("http input: bad requests get 400 with Fluent Bit's reasons, logged once", async () => {
  const h = await harness({ buffer_max_size: 100 });
  try {
    const cases: [string, RequestInit, number, string][] = [
      ["method", { method: "PUT", body: "{}" }, 400, "error: invalid HTTP method"],
      [
        "no type",
        { method: "POST", body: new Uint8Array([1]) as Uint8Array<ArrayBuffer> },
        400,
        "'Content-Type' is not set",
      ],
      ["bad json", { method: "POST", body: '{"a":' }, 400, "unable to process records"],
      ["scalar", { method: "POST", body: "42" }, 400, "unable to process records"],
      ["empty", { method: "POST", body: "" }, 400, "no payload found"],
      ["big", { method: "POST", body: "x".repeat(200) }, 413, "larger than the limit"],
    ];
    for (const [what, init, status, text] of cases) {
      const headers: Record<string, string> = what === "no type"
        ? {}
        : { "content-type": "application/json" };
      const port = await h.input.listening;
      const res = await fetch(`http://127.0.0.1:${port}/t`, { headers, ...init });
      assertEquals(res.status, status, what);
      assertStringIncludes(await res.text(), text, what);
    }
    const mp = await h.post("/t", new Uint8Array([0x81, 0xc1]), {
      "content-type": "application/msgpack",
    });
    assertEquals(mp.status, 400);
    assertStringIncludes(await mp.text(), "unable to process records");
  } finally {
    await h.stop();
  }
  assertEquals(h.chunks.length, 0);
  const warnings = h.ctx.logLines.filter((l) => l.includes("unable to process records"));
  assertEquals(warnings.filter((l) => l.includes("[ warn]")).length, 1, warnings.join("\n"));
  assertStringIncludes(warnings[0]!, 'sample: "{\\"a\\":"');
  assertEquals(
    h.ctx.metrics.counter("sluice_input_http_malformed_total", "").get({ name: "http.0" }),
    3,
  );
});

Deno.test("http input: 503 with Retry-After while paused, nothing taken", async () => {
  let paused = true;
  const ctx = testInputContext({ name: "http.0", isPaused: () => paused });
  const input = createHttpInput(
    { ...defaultsOf(httpInputOptions), listen: "127.0.0.1", port: 0 },
    ctx,
  );
  const taken: Chunk[] = [];
  const consuming = (async () => {
    for await (const c of input.chunks) {
      taken.push(c);
      c.ack.release();
    }
  })();
  const url = `http://127.0.0.1:${await input.listening}/a`;
  const init = { method: "POST", body: "{}", headers: { "content-type": "application/json" } };
  const res = await fetch(url, init);
  assertEquals(res.status, 503);
  assertEquals(res.headers.get("retry-after"), "1");
  await res.body?.cancel();
  assertEquals(taken.length, 0);
  paused = false;
  const ok = await fetch(url, init);
  assertEquals(ok.status, 201);
  await ok.body?.cancel();
  await input.close!();
  await consuming;
  assertEquals(taken.length, 1);
});
