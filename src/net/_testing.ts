/** Test helpers for network code: a self-signed certificate made at test time, a HTTPS server. */

/** A certificate and its key, as files and as PEM text. */
export interface TestCert {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/**
 * A fresh self-signed certificate for `localhost` and 127.0.0.1 (an end-entity
 * certificate, `CA:FALSE`, so it can be trusted as itself) made with the openssl CLI.
 */
export async function selfSignedCert(): Promise<TestCert> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_tls_" });
  const certFile = `${dir}/server.crt`;
  const keyFile = `${dir}/server.key`;
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return {
    dir,
    certFile,
    keyFile,
    cert: await Deno.readTextFile(certFile),
    key: await Deno.readTextFile(keyFile),
  };
}

/** An HTTPS server on 127.0.0.1 answering 200 and counting the requests it got. */
export interface TestTlsServer {
  port: number;
  bodies: string[];
  close(): Promise<void>;
}

/** Starts a {@link TestTlsServer} with `cert`. */
export function tlsServer(cert: TestCert): TestTlsServer {
  const bodies: string[] = [];
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: cert.cert,
    key: cert.key,
    onListen() {},
    onError: () => new Response(null, { status: 500 }),
  }, async (req) => {
    bodies.push(await req.text());
    return new Response(null, { status: 200 });
  });
  return { port: server.addr.port, bodies, close: () => server.shutdown() };
}
