import { assertEquals, assertThrows } from "../testing/assert.ts";
import {
  isCertificateError,
  serverTlsFiles,
  serverTlsPem,
  tlsSettings,
  verifyOffWarning,
} from "./tls.ts";

const DIR = new URL("../../testdata/http/tls/", import.meta.url).pathname;

Deno.test("tlsSettings() reads the files and refuses half a key pair, a key password, a bad file", () => {
  const s = tlsSettings({
    tls: true,
    "tls.ca_file": `${DIR}ca.crt`,
    "tls.crt_file": `${DIR}server.crt`,
    "tls.key_file": `${DIR}server.key`,
    "tls.vhost": "api.example",
    "tls.min_version": "1.2",
  });
  assertEquals([s.verify, s.verifyHostname, s.servername, s.minVersion], [
    true,
    false,
    "api.example",
    "TLSv1.2",
  ]);
  assertEquals(s.ca?.length, 1);
  assertEquals(s.cert?.includes("BEGIN CERTIFICATE"), true);
  assertThrows(
    () => tlsSettings({ tls: true, "tls.crt_file": `${DIR}server.crt` }),
    RangeError,
    "both",
  );
  assertThrows(
    () => tlsSettings({ tls: true, "tls.key_passwd": "x" }),
    RangeError,
    "tls.key_passwd",
  );
  assertThrows(
    () => tlsSettings({ tls: true, "tls.ca_file": "/nonexistent" }),
    RangeError,
    "tls.ca_file",
  );
  assertThrows(
    () => tlsSettings({ tls: true, "tls.max_version": "SSLv3" }),
    RangeError,
    "tls.max_version",
  );
});

Deno.test("verifyOffWarning() only for tls on with verify off; isCertificateError() by code or message", () => {
  assertEquals(verifyOffWarning("http.0", { tls: false, "tls.verify": false }), undefined);
  assertEquals(verifyOffWarning("http.0", { tls: true }), undefined);
  assertEquals(
    verifyOffWarning("http.0", { tls: true, "tls.verify": false })?.startsWith("http.0:"),
    true,
  );
  const coded = Object.assign(new Error("self-signed certificate"), {
    code: "DEPTH_ZERO_SELF_SIGNED_CERT",
  });
  assertEquals(isCertificateError(new Error("wrapped", { cause: coded })), true);
  assertEquals(isCertificateError(new Error("invalid peer certificate: UnknownIssuer")), true);
  assertEquals(
    isCertificateError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })),
    false,
  );
  assertEquals(isCertificateError(new Error("received fatal alert: BadCertificate")), false);
});

Deno.test("serverTlsFiles(): undefined with tls off; RangeError naming a missing file or key_passwd", () => {
  assertEquals(serverTlsFiles({ tls: false }), undefined);
  assertEquals(
    serverTlsFiles({ tls: true, "tls.crt_file": "/c.pem", "tls.key_file": "/k.pem" }),
    { certFile: "/c.pem", keyFile: "/k.pem" },
  );
  assertThrows(
    () => serverTlsFiles({ tls: true, "tls.crt_file": "/c.pem" }),
    RangeError,
    'Cannot serve TLS: "tls.key_file" is required when "tls" is on',
  );
  assertThrows(
    () => serverTlsFiles({ tls: true, "tls.key_passwd": "x" }),
    RangeError,
    '"tls.key_passwd"',
  );
  assertThrows(
    () => serverTlsPem({ certFile: "/nonexistent/c.pem", keyFile: "/nonexistent/k.pem" }),
    RangeError,
    'Cannot read "tls.crt_file" "/nonexistent/c.pem"',
  );
});
