import { assert, assertEquals, assertStringIncludes } from "../../testing/assert.ts";
import { testServer } from "./_testing.ts";
import { exchange, readAll, statuses, writeAll } from "../../testing/raw_http.ts";
import { until } from "../../testing/until.ts";
import { readBody } from "./body.ts";
import type { HttpRequest } from "./request.ts";

const encoder = new TextEncoder();

async function echo(req: HttpRequest): Promise<Response> {
  const body = await readBody(req, { limit: 1000, codings: ["gzip", "deflate"] });
  return new Response(`${req.method} ${req.path} ?${req.query} ${body.length}`);
}

Deno.test("serveHttp answers keep-alive, chunked and pipelined requests in order", async () => {
  const server = testServer(echo);
  const text = await exchange(
    server.port,
    "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" +
      "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "2\r\nab\r\n3;ext=1\r\ncde\r\n0\r\nTrailer: x\r\n\r\n" +
      "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
  );
  assertEquals(statuses(text), [200, 200, 200]);
  assertStringIncludes(text, "POST /a ?x=1 3");
  assertStringIncludes(text, "POST /b ? 5");
  assertStringIncludes(text, "GET /c ? 0");
  assertStringIncludes(text, "connection: close");
  await server.close();
});

Deno.test("serveHttp answers 413 by Content-Length without reading the body", async () => {
  const server = testServer(echo);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await writeAll(
    conn,
    encoder.encode("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100000000\r\n\r\n"),
  );
  const text = await readAll(conn);
  assertEquals(statuses(text), [413]);
  assertStringIncludes(text, "larger than the limit of 1000 bytes");
  await server.close();
});

Deno.test("serveHttp answers 413 for a chunked body over the limit while reading it", async () => {
  const server = testServer(echo);
  const chunk = "400\r\n" + "x".repeat(1024) + "\r\n";
  const text = await exchange(
    server.port,
    "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk,
  );
  assertEquals(statuses(text), [413]);
  await server.close();
});

Deno.test("serveHttp sends 100 Continue only when the handler reads the body", async () => {
  const server = testServer(echo);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await writeAll(
    conn,
    encoder.encode(
      "POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n" +
        "Connection: close\r\n\r\n",
    ),
  );
  const buf = new Uint8Array(100);
  const n = await conn.read(buf);
  assertStringIncludes(new TextDecoder().decode(buf.subarray(0, n ?? 0)), "100 Continue");
  await writeAll(conn, encoder.encode("hi"));
  const text = await readAll(conn);
  assertEquals(statuses(text), [200]);
  assertStringIncludes(text, "POST / ? 2");
  await server.close();
});

Deno.test("serveHttp answers 400 for bad heads and framing, 431 for huge heads", async () => {
  const server = testServer(echo, { maxHeadBytes: 2048 });
  assertEquals(statuses(await exchange(server.port, "NOT HTTP\r\n\r\n")), [400]);
  assertEquals(
    statuses(
      await exchange(
        server.port,
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
      ),
    ),
    [400],
  );
  assertEquals(
    statuses(await exchange(server.port, "POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n")),
    [400],
  );
  assertEquals(
    statuses(await exchange(server.port, "GET / HTTP/1.1\r\nX: " + "a".repeat(4000) + "\r\n\r\n")),
    [431],
  );
  const truncated = await exchange(
    server.port,
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
  );
  assertEquals(statuses(truncated), [400]);
  await server.close();
});

Deno.test("serveHttp closes a connection whose head does not arrive in time", async () => {
  const server = testServer(echo, { headerTimeoutMs: 200 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await writeAll(conn, encoder.encode("POST / HTTP/1.1\r\nHost: h\r\n"));
  // readAll returns when the server closes; its own 5 s deadline would leave it empty too,
  // so the positive check is the connection count going back to zero.
  await readAll(conn);
  await until(() => server.connections === 0, "the server to close the connection");
  const ok = await exchange(server.port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  assertEquals(statuses(ok), [200]);
  await server.close();
});

Deno.test("serveHttp closes an idle keep-alive connection after the idle timeout", async () => {
  const server = testServer(echo, { idleTimeoutMs: 200 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await writeAll(conn, encoder.encode("GET / HTTP/1.1\r\n\r\n"));
  const text = await readAll(conn);
  assertEquals(statuses(text), [200]);
  await until(() => server.connections === 0, "the server to close the connection");
  await server.close();
});

Deno.test("serveHttp refuses connections past the limit with 503 and serves others", async () => {
  const server = testServer(echo, { maxConnections: 3 });
  const held: Deno.Conn[] = [];
  for (let i = 0; i < 3; i++) {
    held.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
  }
  await until(() => server.connections === 3, "three open connections");
  const refused = await exchange(server.port, "GET / HTTP/1.1\r\n\r\n");
  assertEquals(statuses(refused), [503]);
  assertStringIncludes(refused, "retry-after: 1");
  assertEquals(server.refused, 1);
  held.pop()!.close();
  await until(() => server.connections === 2, "one connection to close");
  const ok = await exchange(server.port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  assertEquals(statuses(ok), [200]);
  for (const c of held) c.close();
  await server.close();
});

Deno.test("serveHttp answers 401 without credentials, then 503 while paused", async () => {
  let paused = true;
  const server = testServer(echo, {
    paused: () => paused,
    auth: { basic: { user: "u", password: "pä" } },
  });
  const url = `http://127.0.0.1:${server.port}`;
  const denied = await fetch(`${url}/`, { method: "POST", body: "x" });
  assertEquals(denied.status, 401, "credentials are checked before the pause");
  assertStringIncludes(denied.headers.get("www-authenticate") ?? "", "Basic");
  await denied.body?.cancel();
  const authorization = `Basic ${btoa(String.fromCharCode(...encoder.encode("u:pä")))}`;
  const res = await fetch(`${url}/`, { method: "POST", body: "x", headers: { authorization } });
  assertEquals(res.status, 503);
  assertEquals(res.headers.get("retry-after"), "1");
  await res.body?.cancel();
  paused = false;
  const ok = await fetch(`${url}/p`, { method: "POST", body: "xyz", headers: { authorization } });
  assertEquals(await ok.text(), "POST /p ? 3");
  await server.close();
});

Deno.test("serveHttp inflates gzip bodies and refuses bombs and unknown codings", async () => {
  const server = testServer(echo);
  const gz = async (n: number) =>
    await new Response(
      new Blob([new Uint8Array(n)]).stream().pipeThrough(new CompressionStream("gzip")),
    ).bytes();
  const url = `http://127.0.0.1:${server.port}/z`;
  const ok = await fetch(url, {
    method: "POST",
    body: await gz(500),
    headers: { "content-encoding": "gzip" },
  });
  assertEquals(await ok.text(), "POST /z ? 500");
  const bomb = await fetch(url, {
    method: "POST",
    body: await gz(100_000),
    headers: { "content-encoding": "gzip" },
  });
  assertEquals(bomb.status, 413);
  assertStringIncludes(await bomb.text(), "once inflated");
  const br = await fetch(url, { method: "POST", body: "x", headers: { "content-encoding": "br" } });
  assertEquals(br.status, 415);
  assertStringIncludes(await br.text(), "expected gzip, deflate or none");
  await server.close();
});

Deno.test("serveHttp turns handler exceptions into 500 and keeps serving", async () => {
  const server = testServer(() => {
    throw new Error("boom");
  });
  const res = await fetch(`http://127.0.0.1:${server.port}/`);
  assertEquals(res.status, 500);
  await res.body?.cancel();
  await server.close();
  assert(server.connections === 0);
});

Deno.test("serveHttp serves HTTPS with the given certificate", async () => {
  const dir = new URL("../../../testdata/otlp/tls/", import.meta.url).pathname;
  const server = testServer(echo, {
    tls: {
      cert: Deno.readTextFileSync(`${dir}server.crt`),
      key: Deno.readTextFileSync(`${dir}server.key`),
    },
  });
  const client = Deno.createHttpClient({ caCerts: [Deno.readTextFileSync(`${dir}ca.crt`)] });
  try {
    const res = await fetch(`https://localhost:${server.port}/s`, {
      method: "POST",
      body: "abcd",
      client,
    });
    assertEquals(await res.text(), "POST /s ? 4");
  } finally {
    client.close();
    await server.close();
  }
});
