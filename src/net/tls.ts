/**
 * TLS settings from Fluent Bit's `tls.*` keys, for clients and servers alike: the PEM
 * files read once (`tls.ca_file`, every certificate under `tls.ca_path`, `tls.crt_file`,
 * `tls.key_file`), the verify flags, and the SNI name (`tls.vhost`). Also tells a
 * certificate failure from other network errors, and words it for a message.
 */
import type tls from "node:tls";
import { errorMessage } from "../error_message.ts";

/** The `tls.*` values a connection needs, as option tables parse them. */
export interface TlsOptionValues {
  tls: boolean;
  "tls.verify"?: boolean;
  "tls.verify_hostname"?: boolean;
  "tls.ca_file"?: string;
  "tls.ca_path"?: string;
  "tls.crt_file"?: string;
  "tls.key_file"?: string;
  "tls.key_passwd"?: string;
  "tls.vhost"?: string;
  "tls.min_version"?: string;
  "tls.max_version"?: string;
  "tls.ciphers"?: string;
}

/** TLS settings with the files read. */
export interface TlsSettings {
  /** Check the peer's certificate chain. */
  verify: boolean;
  /** Also check that the certificate names the host (or `servername`). */
  verifyHostname: boolean;
  /** Extra trusted CA certificates (PEM), when given. */
  ca?: string[];
  /** Own certificate and key (PEM): a client's for mutual TLS, a server's. */
  cert?: string;
  /** Own private key (PEM), with `cert`. */
  key?: string;
  /** The SNI name (`tls.vhost`), when it differs from the host. */
  servername?: string;
  /** Lowest protocol version accepted. */
  minVersion?: TlsVersion;
  /** Highest protocol version accepted. */
  maxVersion?: TlsVersion;
  /** OpenSSL cipher list. */
  ciphers?: string;
}

/** TLS protocol versions as node:tls names them. */
export type TlsVersion = "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";

const VERSIONS: Record<string, TlsVersion> = {
  "tlsv1": "TLSv1",
  "tlsv1.0": "TLSv1",
  "tlsv1.1": "TLSv1.1",
  "tlsv1.2": "TLSv1.2",
  "tlsv1.3": "TLSv1.3",
  "1.0": "TLSv1",
  "1.1": "TLSv1.1",
  "1.2": "TLSv1.2",
  "1.3": "TLSv1.3",
};

/**
 * The text of the PEM file at `path`, named by the option `key` that gave it; throws
 * RangeError naming both when it cannot be read. The one place TLS files are read.
 *
 * @example
 * ```ts
 * const cert = readPem("tls.crt_file", "/etc/sluice/server.crt");
 * ```
 */
export function readPem(key: string, path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (e) {
    throw new RangeError(`Cannot read "${key}" ${JSON.stringify(path)}: ${errorMessage(e)}`);
  }
}

function caPathCerts(dir: string): string[] {
  const out: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dir)];
  } catch (e) {
    throw new RangeError(
      `Cannot read "tls.ca_path" ${JSON.stringify(dir)}: ${errorMessage(e)}`,
    );
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile && !entry.isSymlink) continue;
    const text = readPem("tls.ca_path", `${dir}/${entry.name}`);
    if (text.includes("-----BEGIN CERTIFICATE-----")) out.push(text);
  }
  return out;
}

function version(key: string, value: string | undefined): TlsVersion | undefined {
  if (value === undefined || value === "") return undefined;
  const v = VERSIONS[value.trim().toLowerCase()];
  if (!v) {
    throw new RangeError(
      `Cannot use "${key}" ${JSON.stringify(value)}: expected TLSv1.1, TLSv1.2 or TLSv1.3`,
    );
  }
  return v;
}

/**
 * Reads the files `o` names and returns the settings; throws RangeError on an unreadable
 * file, a certificate without its key (or the reverse) or an encrypted key.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const tls = tlsSettings({ tls: true, "tls.verify": false });
 * assertEquals(tls.verify, false);
 * ```
 */
export function tlsSettings(o: TlsOptionValues): TlsSettings {
  if (o["tls.key_passwd"]) {
    throw new RangeError(
      `Cannot use "tls.key_passwd": encrypted keys are not supported; decrypt the key file ` +
        `(openssl pkey -in key.pem -out plain.pem)`,
    );
  }
  const crt = o["tls.crt_file"];
  const key = o["tls.key_file"];
  if ((crt && !key) || (!crt && key)) {
    throw new RangeError(`Cannot use a certificate: set both "tls.crt_file" and "tls.key_file"`);
  }
  const ca: string[] = [];
  if (o["tls.ca_file"]) ca.push(readPem("tls.ca_file", o["tls.ca_file"]));
  if (o["tls.ca_path"]) ca.push(...caPathCerts(o["tls.ca_path"]));
  return {
    verify: o["tls.verify"] ?? true,
    verifyHostname: o["tls.verify_hostname"] ?? false,
    ...(ca.length > 0 ? { ca } : {}),
    ...(crt && key
      ? { cert: readPem("tls.crt_file", crt), key: readPem("tls.key_file", key) }
      : {}),
    ...(o["tls.vhost"] ? { servername: o["tls.vhost"] } : {}),
    minVersion: version("tls.min_version", o["tls.min_version"]),
    maxVersion: version("tls.max_version", o["tls.max_version"]),
    ...(o["tls.ciphers"] ? { ciphers: o["tls.ciphers"] } : {}),
  };
}

/** The certificate and key files of a listener with `tls on`. */
export interface ServerTlsFiles {
  /** `tls.crt_file`: the certificate chain (PEM). */
  certFile: string;
  /** `tls.key_file`: its private key (PEM). */
  keyFile: string;
}

/**
 * The files a listener serves TLS with, or undefined when `tls` is off; throws RangeError
 * when one is missing or `tls.key_passwd` is set (encrypted keys are not supported).
 */
export function serverTlsFiles(o: TlsOptionValues): ServerTlsFiles | undefined {
  if (o["tls.key_passwd"]) {
    throw new RangeError(`Cannot use "tls.key_passwd": decrypt the key file instead`);
  }
  if (!o.tls) return undefined;
  for (const key of ["tls.crt_file", "tls.key_file"] as const) {
    if (!o[key]) throw new RangeError(`Cannot serve TLS: "${key}" is required when "tls" is on`);
  }
  return { certFile: o["tls.crt_file"]!, keyFile: o["tls.key_file"]! };
}

/** The PEM texts of `files` (see {@link serverTlsFiles}), read with {@link readPem}. */
export function serverTlsPem(files: ServerTlsFiles): { cert: string; key: string } {
  return {
    cert: readPem("tls.crt_file", files.certFile),
    key: readPem("tls.key_file", files.keyFile),
  };
}

/** The node:tls options of `s` for a client connection. */
export function tlsConnectOptions(s: TlsSettings): tls.ConnectionOptions {
  return {
    rejectUnauthorized: s.verify,
    ...(s.ca ? { ca: s.ca } : {}),
    ...(s.cert ? { cert: s.cert, key: s.key } : {}),
    ...(s.servername ? { servername: s.servername } : {}),
    ...(s.minVersion ? { minVersion: s.minVersion } : {}),
    ...(s.maxVersion ? { maxVersion: s.maxVersion } : {}),
    // Fluent Bit checks the name only with tls.verify_hostname on.
    ...(s.verify && s.verifyHostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

/** The one warning an output with `tls on` and `tls.verify off` logs; undefined otherwise. */
export function verifyOffWarning(name: string, o: TlsOptionValues): string | undefined {
  if (!o.tls || o["tls.verify"] !== false) return undefined;
  return `${name}: tls.verify off: the peer's certificate is not checked (this connection only)`;
}

const CERT_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "HOSTNAME_MISMATCH",
]);

/**
 * True when `e` (or its cause) is a refusal of the peer's certificate: an untrusted,
 * expired or self-signed chain, or a name mismatch. Retrying cannot fix those.
 */
export function isCertificateError(e: unknown): boolean {
  for (let err = e, depth = 0; err instanceof Error && depth < 4; depth++) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && CERT_CODES.has(code)) return true;
    if (/invalid peer certificate|certificate verify failed|UnknownIssuer/i.test(err.message)) {
      return true;
    }
    err = err.cause;
  }
  return false;
}
