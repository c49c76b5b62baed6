import { defaultsOf } from "../../../src/config/options.ts";
import { until } from "../../../src/testing/until.ts";
import { Ack } from "../../../src/event/ack.ts";
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { decodeRecords } from "../../../src/event/msgpack.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { HttpReceiver } from "../../../src/testing/http_receiver.ts";
import { checkHttpOptions, createHttpOutput } from "./http.ts";
import { type HttpOptions, httpOptions } from "./options.ts";

function options(port: number, extra: Partial<HttpOptions> = {}): HttpOptions {
  return { ...defaultsOf(httpOptions), host: "127.0.0.1", port, ...extra };
}

function chunk(n: number, tag = "app.web"): LogChunk {
  const records = Array.from({ length: n }, (_, i) => ({
    time: new EventTime(1_700_000_000 + i, 500_000_000),
    metadata: {},
    body: { msg: `line ${i}`, n: i },
  }));
  return { signal: "logs", tag, input: "dummy.0", records, bytes: n * 40, ack: new Ack() };
}

Deno.test("http output POSTs a chunk as a JSON array with the date key and headers", async () => {
  const rx = await HttpReceiver.start();
  const out = createHttpOutput(
    options(rx.port, {
      uri: "/ingest",
      header: ["X-Team core", "X-Env: prod"],
      header_tag: "X-Tag",
      http_user: "ann",
      http_passwd: "secret",
    }),
    testFilterContext(),
  );
  try {
    await out.write(chunk(3));
    const [req] = rx.requests;
    assert(req !== undefined);
    assertEquals([req.method, req.path], ["POST", "/ingest"]);
    assertEquals(req.headers.get("content-type"), "application/json");
    assertEquals(req.headers.get("x-team"), "core");
    assertEquals(req.headers.get("x-env"), "prod");
    assertEquals(req.headers.get("x-tag"), "app.web");
    assertEquals(req.headers.get("authorization"), `Basic ${btoa("ann:secret")}`);
    assertEquals(rx.records(), [
      { date: 1700000000.5, msg: "line 0", n: 0 },
      { date: 1700000001.5, msg: "line 1", n: 1 },
      { date: 1700000002.5, msg: "line 2", n: 2 },
    ]);
  } finally {
    await out.close?.();
    await rx.stop();
  }
});

Deno.test("http output sends gzip json_lines with a bearer token, and msgpack", async () => {
  const rx = await HttpReceiver.start();
  const lines = createHttpOutput(
    options(rx.port, {
      format: "json_lines",
      compress: "gzip",
      bearer_token: "t0k",
      json_date_key: "ts",
      json_date_format: "iso8601",
    }),
    testFilterContext(),
  );
  const packed = createHttpOutput(options(rx.port, { format: "msgpack" }), testFilterContext());
  try {
    await lines.write(chunk(2));
    const req = rx.requests[0]!;
    assertEquals(req.headers.get("content-encoding"), "gzip");
    assertEquals(req.headers.get("content-type"), "application/x-ndjson");
    assertEquals(req.headers.get("authorization"), "Bearer t0k");
    assertEquals(rx.records()[1], { ts: "2023-11-14T22:13:21.500000Z", msg: "line 1", n: 1 });
    await packed.write(chunk(2));
    assertEquals(rx.requests[1]!.headers.get("content-type"), "application/msgpack");
    assertEquals(decodeRecords(rx.requests[1]!.body), chunk(2).records);
  } finally {
    await lines.close?.();
    await packed.close?.();
    await rx.stop();
  }
});

Deno.test("http output turns answers into retryable or permanent errors", async () => {
  const rx = await HttpReceiver.start({ mode: { kind: "status", status: 503, retryAfter: "7" } });
  const out = createHttpOutput(options(rx.port), testFilterContext());
  try {
    const e = await assertRejects(
      () => out.write(chunk(1)),
      RetryableError,
      "HTTP 503",
    ) as RetryableError;
    assertEquals([e.status, e.retryAfter], [503, 7]);
    for (const status of [408, 429, 500]) {
      rx.mode = { kind: "status", status };
      await assertRejects(() => out.write(chunk(1)), RetryableError, `HTTP ${status}`);
    }
    rx.mode = { kind: "status", status: 400 };
    const p = await assertRejects(
      () => out.write(chunk(1)),
      PermanentError,
      "refused with 400",
    ) as PermanentError;
    assertEquals(p.status, 400);
    rx.mode = { kind: "close" };
    await assertRejects(() => out.write(chunk(1)), RetryableError, "Cannot send");
    await rx.down();
    await assertRejects(() => out.write(chunk(1)), RetryableError, "Cannot send");
    await rx.up();
    rx.mode = { kind: "ok" };
    await out.write(chunk(1));
    assertEquals(rx.records().length, 1);
  } finally {
    await out.close?.();
    await rx.stop();
  }
});

Deno.test("http output gives up on a stalled request at net.io_timeout and when closed", async () => {
  const rx = await HttpReceiver.start({ mode: { kind: "stall" } });
  const out = createHttpOutput(options(rx.port, { "net.io_timeout": 0.2 }), testFilterContext());
  const other = createHttpOutput(options(rx.port), testFilterContext());
  try {
    await assertRejects(() => out.write(chunk(1)), RetryableError);
    const pending = other.write(chunk(1));
    await until(() => rx.requests.length >= 2, "the second request, held by the receiver");
    await other.close?.();
    await assertRejects(() => pending, RetryableError);
  } finally {
    await out.close?.();
    await other.close?.();
    await rx.stop();
  }
});

Deno.test("http output refuses bad mixes; brackets IPv6 hosts in its URL", async () => {
  const both = options(80, { http_user: "a", bearer_token: "b" });
  assertThrows(() => checkHttpOptions(both), RangeError, "bearer_token");
  assertThrows(() => checkHttpOptions(options(80, { body_key: "$b" })), RangeError, "body_key");
  assertThrows(
    () => createHttpOutput(options(80, { header: ["Empty"] }), testFilterContext()),
    SyntaxError,
    "header",
  );
  const out = createHttpOutput(
    options(8443, { host: "::1", uri: "v1", tls: true }),
    testFilterContext(),
  );
  assertEquals(out.url, "https://[::1]:8443/v1");
  assert(out.client.settings.compression === undefined);
  await out.close?.();
});

Deno.test("http output refuses a GELF record without a message for good", async () => {
  const rx = await HttpReceiver.start();
  const out = createHttpOutput(options(rx.port, { format: "gelf" }), testFilterContext());
  try {
    await assertRejects(() => out.write(chunk(1)), PermanentError, "short_message");
    const ok = createHttpOutput(
      options(rx.port, { format: "gelf", gelf_short_message_key: "msg" }),
      testFilterContext(),
    );
    await ok.write(chunk(1));
    await ok.close?.();
    assertEquals(rx.records()[0]!.short_message, "line 0");
  } finally {
    await out.close?.();
    await rx.stop();
  }
});

Deno.test("http output speaks TLS, trusting tls.ca_file, and refuses an unknown certificate", async () => {
  const dir = new URL("../../../testdata/http/tls/", import.meta.url).pathname;
  let got = 0;
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: Deno.readTextFileSync(`${dir}server.crt`),
    key: Deno.readTextFileSync(`${dir}server.key`),
    onListen() {},
  }, async (req) => {
    got += (await req.json()).length;
    return new Response(null, { status: 204 });
  });
  const port = server.addr.port;
  const trusted = createHttpOutput(
    options(port, { tls: true, "tls.ca_file": `${dir}ca.crt` }),
    testFilterContext(),
  );
  const untrusted = createHttpOutput(options(port, { tls: true }), testFilterContext());
  const ctx = testFilterContext({ name: "http.7" });
  const unverified = createHttpOutput(options(port, { tls: true, "tls.verify": false }), ctx);
  try {
    await trusted.write(chunk(2));
    assertEquals(got, 2);
    await unverified.write(chunk(1));
    assertEquals(got, 3, "tls.verify off delivers without the CA");
    assertEquals(ctx.logLines.filter((l) => l.includes("http.7: tls.verify off")).length, 1);
    // A refused certificate cannot heal by retrying: permanent, with the reason.
    const e = await assertRejects(() => untrusted.write(chunk(1)), PermanentError);
    assertStringIncludes(e.message, "TLS certificate refused");
  } finally {
    await trusted.close?.();
    await untrusted.close?.();
    await unverified.close?.();
    await server.shutdown();
  }
});
