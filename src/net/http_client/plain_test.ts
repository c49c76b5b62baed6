import { RetryableError } from "../../engine/errors.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../../testing/assert.ts";
import { HttpClient } from "./client.ts";
import { type ClientOptionValues, clientSettings } from "./factory.ts";
import { parseAnswerHead } from "./plain_head.ts";

const enc = new TextEncoder();
const body = enc.encode("hello");

/** A raw server answering each request (read whole by its blank line and length) with `answer(n)`. */
function rawServer(answer: (n: number, request: string) => string | null) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const requests: string[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      (async () => {
        const buf = new Uint8Array(65536);
        let text = "";
        try {
          while (true) {
            const n = await conn.read(buf);
            if (n === null) break;
            text += new TextDecoder().decode(buf.subarray(0, n));
            const end = text.indexOf("\r\n\r\n");
            const len = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? 0);
            if (end < 0 || text.length < end + 4 + len) continue;
            requests.push(text.slice(0, end + 4 + len));
            text = text.slice(end + 4 + len);
            const reply = answer(requests.length, requests.at(-1)!);
            if (reply === null) break;
            await conn.write(enc.encode(reply));
            if (/connection: close/i.test(reply)) break;
          }
        } catch {
          // the client went away
        } finally {
          conn.close();
        }
      })();
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    requests,
    async close() {
      listener.close();
      await serving;
    },
  };
}

function client(port: number, o: Partial<ClientOptionValues> = {}): HttpClient {
  return new HttpClient(clientSettings({ host: "127.0.0.1", port, tls: false, ...o }));
}

Deno.test("plain HTTP client: one write per request, chunked and interim answers, kept alive", async () => {
  const rx = rawServer((n) =>
    n === 1
      ? "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n" +
        "set-cookie: a=1\r\nset-cookie: b=2\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
      : "HTTP/1.1 201 Created\r\ncontent-length: 4\r\nx-a: 1\r\nX-A: 2\r\n\r\nwxyz"
  );
  const c = client(rx.port);
  try {
    const a = await c.send({ path: "/p?q=1", body, readBody: true });
    assertEquals([a.status, new TextDecoder().decode(a.body)], [200, "abcde"]);
    assertEquals(a.headers["set-cookie"], ["a=1", "b=2"]);
    const b = await c.send({ path: "/", body, readBody: true, maxBodyBytes: 2 });
    assertEquals([b.status, new TextDecoder().decode(b.body), b.headers["x-a"]], [
      201,
      "wx",
      "1, 2",
    ]);
    assertStringIncludes(rx.requests[0]!, "POST /p?q=1 HTTP/1.1\r\n");
    assertStringIncludes(rx.requests[0]!, "Content-Length: 5\r\n");
    assertStringIncludes(rx.requests[0]!, "Connection: keep-alive\r\n\r\nhello");
  } finally {
    c.close();
    await rx.close();
  }
});

Deno.test("plain HTTP client: an answer delimited by the end of the stream, then a new connection", async () => {
  const rx = rawServer(() => "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nall of it");
  const c = client(rx.port);
  try {
    for (let i = 0; i < 2; i++) {
      const a = await c.send({ path: "/", body, readBody: true });
      assertEquals(new TextDecoder().decode(a.body), "all of it");
    }
  } finally {
    c.close();
    await rx.close();
  }
});

Deno.test("plain HTTP client: net.io_timeout ends a silent exchange; header values cannot break lines", async () => {
  const rx = rawServer(() => null); // reads the request, never answers, closes
  const silent = rawServer(() => "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc");
  const c = client(silent.port, { "net.io_timeout": 0.2 });
  const d = client(rx.port);
  try {
    const e = await assertRejects(() => c.send({ path: "/", body }), RetryableError);
    assertStringIncludes(e.message, "silent for 0.2 s");
    await assertRejects(
      () => d.send({ path: "/", body, headers: { "X-Tag": "a\r\nInjected: 1" } }),
      Error,
      "Invalid character",
    );
    const gone = await assertRejects(() => d.send({ path: "/", body }), RetryableError);
    assertStringIncludes(gone.message, "closed the connection");
  } finally {
    c.close();
    d.close();
    await rx.close();
    await silent.close();
  }
});

Deno.test("parseAnswerHead() reads HTTP/1.0 keep-alive only when asked", () => {
  assertEquals(parseAnswerHead("HTTP/1.0 200 OK\r\nconnection: keep-alive").keepAlive, true);
  assertEquals(parseAnswerHead("HTTP/1.0 200 OK").keepAlive, false);
  assertEquals(parseAnswerHead("HTTP/1.1 503 Busy\r\nRetry-After: 2").headers, {
    "retry-after": "2",
  });
});
