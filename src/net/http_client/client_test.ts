import { RetryableError } from "../../engine/errors.ts";
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../../testing/assert.ts";
import { HttpReceiver } from "../../testing/http_receiver.ts";
import { selfSignedCert, tlsServer } from "../../testing/tls_certs.ts";
import { HttpClient } from "./client.ts";
import { postDelivered } from "./deliver.ts";
import { type ClientOptionValues, clientSettings } from "./factory.ts";

const body = new TextEncoder().encode('{"a":1}');

function client(o: Partial<ClientOptionValues> & { port: number }): HttpClient {
  return new HttpClient(clientSettings({ host: "127.0.0.1", tls: false, ...o }));
}

function post(c: HttpClient, path = "/") {
  return postDelivered(c, { path, body, contentType: "application/json" });
}

/** A server that tells which client port each request came from. */
function portServer() {
  const ports: number[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req, info) => {
      await req.arrayBuffer();
      ports.push(info.remoteAddr.port);
      return new Response(null, { status: 200 });
    },
  );
  return { port: server.addr.port, ports, close: () => server.shutdown() };
}

Deno.test("HttpClient reuses one kept-alive connection; net.keepalive off and max_recycle open new ones", async () => {
  const server = portServer();
  const kept = client({ port: server.port });
  const fresh = client({ port: server.port, "net.keepalive": false });
  const recycled = client({ port: server.port, "net.keepalive_max_recycle": 2 });
  try {
    for (let i = 0; i < 3; i++) await post(kept);
    assertEquals(new Set(server.ports).size, 1, "one connection");
    server.ports.length = 0;
    for (let i = 0; i < 3; i++) await post(fresh);
    assertEquals(new Set(server.ports).size, 3, "a connection per request");
    server.ports.length = 0;
    for (let i = 0; i < 4; i++) await post(recycled);
    assertEquals(new Set(server.ports).size, 2, "two requests per connection");
  } finally {
    kept.close();
    fresh.close();
    recycled.close();
    await server.close();
  }
});

Deno.test("a request whose kept-alive connection the server dropped is sent again on a new one", async () => {
  // Connection 1 answers its first request, then reads the second and closes unanswered
  // (a server closing an idle keep-alive connection); later connections answer everything.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  let requests = 0;
  const ok = new TextEncoder().encode("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
  const serving = (async () => {
    for await (const conn of listener) {
      const n = ++connections;
      (async () => {
        const buf = new Uint8Array(65536);
        let seen = 0;
        try {
          while ((await conn.read(buf)) !== null) {
            requests++;
            if (n === 1 && ++seen === 2) break;
            await conn.write(ok);
          }
        } finally {
          conn.close();
        }
      })().catch(() => {});
    }
  })();
  const c = client({ port: (listener.addr as Deno.NetAddr).port });
  try {
    await post(c);
    await post(c);
    assertEquals([connections, requests], [2, 3]);
  } finally {
    c.close();
    listener.close();
    await serving.catch(() => {});
  }
});

Deno.test("HttpClient sends fixed headers, Host with a bracketed IPv6 literal, Content-Length", async () => {
  const rx = await HttpReceiver.start();
  const c = new HttpClient(clientSettings({
    host: "127.0.0.1",
    port: rx.port,
    tls: false,
    header: ["X-One 1", "X-One: 2", "user-agent custom"],
    http_user: "Jürgen",
    http_passwd: "p",
  }));
  try {
    await post(c, "/in");
    const h = rx.requests[0]!.headers;
    assertEquals(h.get("x-one"), "1, 2");
    assertEquals(h.get("user-agent"), "custom");
    assertEquals(h.get("host"), `127.0.0.1:${rx.port}`);
    assertEquals(h.get("content-length"), String(body.byteLength));
    assertStringIncludes(h.get("authorization") ?? "", "Basic ");
    const last = new HttpClient(clientSettings({
      host: "127.0.0.1",
      port: rx.port,
      tls: false,
      header: ["X-One 1", "x-one 2"],
    }, { duplicateHeaders: false, bearerToken: "t0k" }));
    await post(last);
    last.close();
    assertEquals(rx.requests[1]!.headers.get("x-one"), "2", "allow_duplicated_headers off");
    assertEquals(rx.requests[1]!.headers.get("authorization"), "Bearer t0k");
    const settings = clientSettings({ host: "::1", port: 8080, tls: false });
    assertEquals(new HttpClient(settings).target, "[::1]:8080");
  } finally {
    c.close();
    await rx.stop();
  }
});

Deno.test("HttpClient connects to an IPv6 literal and sends Host in brackets", async () => {
  let host = "";
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname: "::1", port: 0, onListen() {} }, async (req) => {
      await req.arrayBuffer();
      host = req.headers.get("host") ?? "";
      return new Response(null, { status: 204 });
    });
  } catch {
    return; // no IPv6 loopback on this machine
  }
  const c = new HttpClient(clientSettings({ host: "::1", port: server.addr.port, tls: false }));
  try {
    assertEquals((await post(c)).status, 204);
    assertEquals(host, `[::1]:${server.addr.port}`);
  } finally {
    c.close();
    await server.shutdown();
  }
});

Deno.test("http.response_timeout gives up on a server that accepts and never answers", async () => {
  const rx = await HttpReceiver.start({ mode: { kind: "stall" } });
  const c = client({ port: rx.port, "http.response_timeout": 0.2 });
  try {
    const e = await assertRejects(() => post(c), RetryableError);
    assertStringIncludes(e.message, "no answer within 0.2 s");
  } finally {
    c.close();
    await rx.stop();
  }
});

Deno.test("an answer slower than net.keepalive_idle_timeout is still read", async () => {
  const rx = await HttpReceiver.start({ mode: { kind: "delay", ms: 400 } });
  const c = client({ port: rx.port, "net.keepalive_idle_timeout": 0.1 });
  try {
    assertEquals((await post(c)).status, 200);
  } finally {
    c.close();
    await rx.stop();
  }
});

Deno.test("net.connect_timeout covers the TLS handshake of a peer that never speaks", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const c = client({
    port: (listener.addr as Deno.NetAddr).port,
    tls: true,
    "net.connect_timeout": 0.2,
  });
  try {
    const e = await assertRejects(() => post(c), RetryableError);
    assertStringIncludes(e.message, "no connection within 0.2 s");
  } finally {
    c.close();
    listener.close();
    for (const conn of held) conn.close();
    await accepting.catch(() => {});
  }
});

Deno.test("HttpClient goes through an HTTP proxy: absolute form for http, CONNECT for https", async () => {
  const rx = await HttpReceiver.start();
  const cert = await selfSignedCert();
  const secure = tlsServer(cert);
  const seen: string[] = [];
  const proxy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    for await (const conn of proxy) {
      (async () => {
        const buf = new Uint8Array(65536);
        const n = await conn.read(buf);
        const head = new TextDecoder().decode(buf.subarray(0, n ?? 0));
        const [method, target] = head.split(" ");
        assert(target !== undefined);
        seen.push(`${method} ${target} ${/proxy-authorization: (\S+ \S+)/i.exec(head)?.[1]}`);
        const [host, port] = method === "CONNECT"
          ? target.split(":")
          : new URL(target).host.split(":");
        const up = await Deno.connect({ hostname: host, port: Number(port) });
        if (method === "CONNECT") {
          await conn.write(new TextEncoder().encode("HTTP/1.1 200 Connection established\r\n\r\n"));
        } else {
          await up.write(buf.subarray(0, n ?? 0));
        }
        await Promise.all([
          conn.readable.pipeTo(up.writable).catch(() => {}),
          up.readable.pipeTo(conn.writable).catch(() => {}),
        ]);
      })();
    }
  })();
  const proxyUrl = `http://u:p@127.0.0.1:${(proxy.addr as Deno.NetAddr).port}`;
  const plain = client({ port: rx.port, proxy: proxyUrl });
  const tls = client({
    port: secure.port,
    tls: true,
    "tls.ca_file": cert.certFile,
    proxy: proxyUrl,
  });
  try {
    await post(plain, "/p");
    await post(plain, "/p");
    // The test proxy passes the request on unchanged: the absolute form reaches the receiver.
    const url = `http://127.0.0.1:${rx.port}/p`;
    assertEquals(rx.requests.map((r) => r.path), [url, url]);
    await post(tls);
    await post(tls);
    assertEquals(secure.bodies.length, 2);
    const auth = `Basic ${btoa("u:p")}`;
    assertEquals(seen, [
      `POST http://127.0.0.1:${rx.port}/p ${auth}`,
      `CONNECT 127.0.0.1:${secure.port} ${auth}`,
    ], "one proxied connection each, reused");
  } finally {
    plain.close();
    tls.close();
    proxy.close();
    await serving.catch(() => {});
    await rx.stop();
    await secure.close();
    await Deno.remove(cert.dir, { recursive: true });
  }
});

Deno.test("HTTP_PROXY and NO_PROXY choose the proxy unless net.proxy_env_ignore", () => {
  const before = [Deno.env.get("HTTP_PROXY"), Deno.env.get("NO_PROXY")];
  Deno.env.set("HTTP_PROXY", "http://proxy.local:3128");
  Deno.env.set("NO_PROXY", "localhost,.internal");
  try {
    const via = (host: string, extra: Partial<ClientOptionValues> = {}) =>
      clientSettings({ host, port: 80, tls: false, ...extra }).proxy?.url;
    assertEquals(via("example.com"), "http://proxy.local:3128");
    assertEquals(via("api.internal"), undefined);
    assertEquals(via("localhost"), undefined);
    assertEquals(via("example.com", { "net.proxy_env_ignore": true }), undefined);
    assertEquals(via("example.com", { proxy: "http://other:8080" }), "http://other:8080");
    assert(
      clientSettings({ host: "x", port: 443, tls: true }).proxy === undefined,
      "HTTPS_PROXY unset",
    );
  } finally {
    before[0] === undefined ? Deno.env.delete("HTTP_PROXY") : Deno.env.set("HTTP_PROXY", before[0]);
    before[1] === undefined ? Deno.env.delete("NO_PROXY") : Deno.env.set("NO_PROXY", before[1]);
  }
});
