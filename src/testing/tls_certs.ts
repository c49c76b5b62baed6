/**
 * TLS for tests: a self-signed certificate made at test time with the system's openssl,
 * and an HTTPS server that serves it. The certificate is an end entity (`CA:FALSE`) for
 * localhost and 127.0.0.1, so a client can trust it as itself through `tls.ca_file`
 * (rustls refuses a CA certificate used as the server's own).
 */

/** A certificate and its key, as files in `dir` and as PEM text. */
export interface TestCert {
  /** The temp dir holding both files (remove it when done). */
  dir: string;
  /** Path of the certificate PEM (also the CA file that trusts it). */
  certFile: string;
  /** Path of the private key PEM. */
  keyFile: string;
  /** The certificate PEM text. */
  cert: string;
  /** The private key PEM text. */
  key: string;
}

/**
 * Makes a fresh {@link TestCert} in `options.dir` (default: a new temp dir); throws an
 * Error with openssl's reason when it fails.
 */
export async function selfSignedCert(options: { dir?: string } = {}): Promise<TestCert> {
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "sluice_tls_" });
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
    throw new Error(
      `Cannot make a test certificate: openssl said ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return {
    dir,
    certFile,
    keyFile,
    cert: await Deno.readTextFile(certFile),
    key: await Deno.readTextFile(keyFile),
  };
}

/** PEM file paths of a server certificate, its key, and the CA file that trusts it. */
export interface TestCerts {
  /** The file a client trusts (the self-signed certificate itself). */
  caFile: string;
  /** The server's certificate. */
  certFile: string;
  /** The server's private key. */
  keyFile: string;
}

/** A {@link selfSignedCert} written into `dir`, as {@link TestCerts}; null when openssl is not installed. */
export async function makeTestCerts(dir: string): Promise<TestCerts | null> {
  try {
    const cert = await selfSignedCert({ dir });
    return { caFile: cert.certFile, certFile: cert.certFile, keyFile: cert.keyFile };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null; // no openssl binary
    throw e;
  }
}

/** An HTTPS server on 127.0.0.1 answering 200 and keeping the body of every request. */
export interface TestTlsServer {
  /** The port it listens on. */
  port: number;
  /** Request bodies as text, in arrival order. */
  bodies: string[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts a {@link TestTlsServer} that presents `cert`. */
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
