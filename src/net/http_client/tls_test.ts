import { PermanentError } from "../../engine/errors.ts";
import { Logger, memorySink } from "../../engine/log.ts";
import { assertEquals, assertRejects, assertStringIncludes } from "../../testing/assert.ts";
import { selfSignedCert, tlsServer } from "../../testing/tls_certs.ts";
import { type ClientOptionValues, createHttpClient } from "./factory.ts";
import { postDelivered } from "./deliver.ts";

const WRONG_CA = new URL("../../../testdata/http/tls/ca.crt", import.meta.url).pathname;

function owner() {
  const sink = memorySink();
  return { name: "http.0", log: new Logger({ sink }), lines: sink.lines };
}

async function post(o: ClientOptionValues, who = owner()): Promise<void> {
  const client = createHttpClient(o, who);
  try {
    await postDelivered(client, {
      path: "/",
      body: new TextEncoder().encode("hi"),
      contentType: "text/plain",
    });
  } finally {
    client.close();
  }
}

Deno.test("tls.verify off delivers to a self-signed server, for that client only, warning once", async () => {
  const cert = await selfSignedCert();
  const server = tlsServer(cert);
  const base = { host: "127.0.0.1", port: server.port, tls: true };
  try {
    const who = owner();
    await post({ ...base, "tls.verify": false }, who);
    assertEquals(server.bodies, ["hi"]);
    const warned = who.lines.filter((l) => l.includes("tls.verify"));
    assertEquals(warned.length, 1);
    assertStringIncludes(warned[0]!, "http.0");
    // Another client in the same process still verifies.
    const e = await assertRejects(() => post(base), PermanentError);
    assertStringIncludes(e.message, "TLS certificate refused");
    assertStringIncludes(e.message, "self-signed");
  } finally {
    await server.close();
    await Deno.remove(cert.dir, { recursive: true });
  }
});

Deno.test("tls.verify on fails for good with a wrong CA, and delivers with tls.ca_file or tls.ca_path", async () => {
  const cert = await selfSignedCert();
  const server = tlsServer(cert);
  const base = { host: "127.0.0.1", port: server.port, tls: true, "tls.verify": true };
  try {
    const e = await assertRejects(() => post({ ...base, "tls.ca_file": WRONG_CA }), PermanentError);
    assertStringIncludes(e.message, `127.0.0.1:${server.port}`);
    assertStringIncludes(e.message, "certificate");
    await post({ ...base, "tls.ca_file": cert.certFile });
    await post({ ...base, "tls.ca_path": cert.dir });
    assertEquals(server.bodies.length, 2);
  } finally {
    await server.close();
    await Deno.remove(cert.dir, { recursive: true });
  }
});

Deno.test("tls.verify_hostname checks the certificate against tls.vhost (the SNI name)", async () => {
  const cert = await selfSignedCert();
  const server = tlsServer(cert);
  const base = {
    host: "127.0.0.1",
    port: server.port,
    tls: true,
    "tls.ca_file": cert.certFile,
    "tls.verify_hostname": true,
  };
  try {
    await post({ ...base, "tls.vhost": "localhost" });
    const e = await assertRejects(
      () => post({ ...base, "tls.vhost": "wrong.example" }),
      PermanentError,
    );
    assertStringIncludes(e.message, "wrong.example");
    // Off (Fluent Bit's default), the name is not checked, the chain still is.
    await post({ ...base, "tls.vhost": "wrong.example", "tls.verify_hostname": false });
    assertEquals(server.bodies.length, 2);
  } finally {
    await server.close();
    await Deno.remove(cert.dir, { recursive: true });
  }
});

Deno.test("no tls.verify warning when tls is off", () => {
  const who = owner();
  createHttpClient({ host: "127.0.0.1", port: 9, tls: false, "tls.verify": false }, who).close();
  assertEquals(who.lines, []);
});

Deno.test("tls.crt_file and tls.key_file present a client certificate (mutual TLS)", async () => {
  const cert = await selfSignedCert();
  const { default: https } = await import("node:https");
  const peers: string[] = [];
  const server = https.createServer({
    cert: cert.cert,
    key: cert.key,
    requestCert: true,
    rejectUnauthorized: true,
    ca: [cert.cert],
  }, (req, res) => {
    // deno-lint-ignore no-explicit-any
    peers.push((req.socket as any).getPeerCertificate().subject.CN);
    req.resume();
    req.on("end", () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const base = { host: "127.0.0.1", port, tls: true, "tls.ca_file": cert.certFile };
  try {
    await post({ ...base, "tls.crt_file": cert.certFile, "tls.key_file": cert.keyFile });
    assertEquals(peers, ["localhost"]);
    await assertRejects(() => post(base), Error, "Cannot send");
    assertEquals(peers.length, 1);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await Deno.remove(cert.dir, { recursive: true });
  }
});
