/**
 * Request authentication for the ingress: an optional bearer token and/or Basic
 * credentials, compared in constant time; a failure is a 401 naming the scheme.
 */
import { HttpError } from "./errors.ts";

/** Credentials an ingress requires; either or both may be set (one match is enough). */
export interface IngressAuth {
  /** Accept `Authorization: Bearer <token>` with this token. */
  bearerToken?: string;
  /** Accept HTTP Basic authentication with this user and password. */
  basic?: { user: string; password: string };
}

const encoder = new TextEncoder();

/** Compares two strings in time independent of where they differ. */
export function sameSecret(given: string, want: string): boolean {
  const a = encoder.encode(given);
  const b = encoder.encode(want);
  let diff = a.length ^ b.length;
  for (let i = 0; i < b.length; i++) diff |= b[i]! ^ (a[i] ?? 0);
  return diff === 0;
}

/** Decodes Basic credentials (UTF-8); null when the header is not Basic or malformed. */
export function parseBasic(header: string): { user: string; password: string } | null {
  const m = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header.trim());
  if (!m) return null;
  let text: string;
  try {
    const bin = atob(m[1]!);
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(bin, (c) => c.charCodeAt(0)),
    );
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  if (colon === -1) return null;
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** The bearer token of an Authorization header; null when it is not Bearer. */
export function parseBearer(header: string): string | null {
  const m = /^bearer\s+(.+)$/i.exec(header.trim());
  return m?.[1]?.trim() ?? null;
}

/** True when `auth` requires nothing or the Authorization header satisfies it. */
export function authorized(headers: Headers, auth: IngressAuth): boolean {
  if (auth.bearerToken === undefined && auth.basic === undefined) return true;
  const header = headers.get("authorization") ?? "";
  if (auth.bearerToken !== undefined) {
    const token = parseBearer(header);
    if (token !== null && sameSecret(token, auth.bearerToken)) return true;
  }
  if (auth.basic !== undefined) {
    const given = parseBasic(header);
    if (
      given !== null && sameSecret(given.user, auth.basic.user) &&
      sameSecret(given.password, auth.basic.password)
    ) return true;
  }
  return false;
}

/** The 401 for a request that failed {@link authorized}. */
export function unauthorized(auth: IngressAuth): HttpError {
  const scheme = auth.bearerToken !== undefined ? "Bearer" : "Basic";
  const what = auth.bearerToken !== undefined
    ? (auth.basic !== undefined ? "bearer token or Basic credentials" : "bearer token")
    : "Basic credentials";
  return new HttpError(401, `Missing or invalid ${what}`, {
    "www-authenticate": scheme === "Basic" ? 'Basic realm="sluice"' : "Bearer",
  });
}
