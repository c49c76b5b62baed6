/**
 * Test certificates made with the system's openssl: a CA, and a server certificate it
 * signed for localhost and 127.0.0.1 (a self-signed CA certificate cannot serve as the
 * server's own: rustls refuses a CA used as an end entity).
 */

/** PEM file paths of a test CA and a server certificate it signed. */
export interface TestCerts {
  caFile: string;
  certFile: string;
  keyFile: string;
}

async function openssl(args: string[], cwd: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false; // openssl is not installed
  }
}

/** Makes a CA and a server certificate in `dir`; null when openssl is not available. */
export async function makeTestCerts(dir: string): Promise<TestCerts | null> {
  await Deno.writeTextFile(
    `${dir}/server.ext`,
    "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
  );
  const rsa = ["-newkey", "rsa:2048", "-nodes"];
  const ok = await openssl(
    [
      "req",
      "-x509",
      ...rsa,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "1",
      "-subj",
      "/CN=sluice-test-ca",
    ],
    dir,
  ) &&
    await openssl(
      ["req", ...rsa, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"],
      dir,
    ) &&
    await openssl(
      [
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "1",
        "-extfile",
        "server.ext",
      ],
      dir,
    );
  if (!ok) return null;
  return { caFile: `${dir}/ca.pem`, certFile: `${dir}/server.pem`, keyFile: `${dir}/server.key` };
}
