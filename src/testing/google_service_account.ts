/**
 * Google service accounts for tests: a fresh RSA key pair, and the JSON key file a user
 * downloads from the console (type service_account, PEM private key, token_uri), pointing at
 * a local token endpoint.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const sa = await serviceAccount("a@p.iam.gserviceaccount.com", "http://127.0.0.1:1/token");
 * const file = JSON.parse(sa.keyFile);
 * assertEquals([file.type, file.client_email, file.token_uri], [
 *   "service_account",
 *   "a@p.iam.gserviceaccount.com",
 *   "http://127.0.0.1:1/token",
 * ]);
 * ```
 */

/** A service account made by a test: its key file text and its public key. */
export interface ServiceAccount {
  email: string;
  /** The JSON key file (type service_account), with `token_uri`. */
  keyFile: string;
  publicKey: CryptoKey;
}

/** A new RSA service account whose key file points at `tokenUri`. */
export async function serviceAccount(
  email: string,
  tokenUri: string,
  projectId = "test-project",
): Promise<ServiceAccount> {
  const keys = await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  );
  const der = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  const b64 = btoa(String.fromCharCode(...der)).replace(/(.{64})/g, "$1\n");
  const pem = `-----BEGIN PRIVATE KEY-----\n${b64}\n-----END PRIVATE KEY-----\n`;
  const keyFile = JSON.stringify(
    {
      type: "service_account",
      project_id: projectId,
      private_key_id: "k1",
      private_key: pem,
      client_email: email,
      client_id: "1",
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: tokenUri,
    },
    null,
    2,
  );
  return { email, keyFile, publicKey: keys.publicKey };
}
