/**
 * The secure forward handshake (HELO, PING, PONG), as Fluent Bit's in_forward/out_forward
 * and Fluentd compute it. Digests are lowercase hex SHA-512 over raw bytes:
 * PING and PONG `salt ‖ hostname ‖ nonce ‖ shared_key` (PING with the client's hostname,
 * PONG with the server's, both with the salt the client sent), user auth
 * `auth_salt ‖ username ‖ password`. Nonce, salts and names stay raw bytes end to end
 * (Fluent Bit sends 16 random bytes as a msgpack str), so they are never decoded as UTF-8.
 * A refused PING answers Fluentd's `["PONG", false, reason, "", ""]` with its reason strings.
 */
import { Decoder } from "@msgpack/msgpack";
import { createHash, timingSafeEqual } from "node:crypto";
import { describeValue, ForwardError } from "./errors.ts";
import { isMap } from "./entries.ts";
import { MpWriter } from "./mp_writer.ts";

type Bytes = Uint8Array;
const utf8 = new TextEncoder();
const rawDecoder = new Decoder({ rawStrings: true });

function bytesOf(v: string | Bytes): Bytes {
  return typeof v === "string" ? utf8.encode(v) : v;
}

/** Lowercase hex SHA-512 of the concatenated parts. */
export function sha512Hex(...parts: (string | Bytes)[]): string {
  const h = createHash("sha512");
  for (const p of parts) h.update(bytesOf(p));
  return h.digest("hex");
}

/**
 * The shared-key digest of PING (client hostname) or PONG (server hostname).
 *
 * @example
 * ```ts
 * sharedKeyDigest({ salt: "0123456789abcdef", hostname: "client.local",
 *   nonce: "NONCE-0123456789", sharedKey: "secret" }).slice(0, 8); // "24ba631b"
 * ```
 */
export function sharedKeyDigest(
  parts: {
    salt: string | Bytes;
    hostname: string | Bytes;
    nonce: string | Bytes;
    sharedKey: string;
  },
): string {
  return sha512Hex(parts.salt, parts.hostname, parts.nonce, parts.sharedKey);
}

/** The user-auth digest of PING: `auth_salt ‖ username ‖ password`. */
export function passwordDigest(
  parts: { authSalt: string | Bytes; username: string | Bytes; password: string },
): string {
  return sha512Hex(parts.authSalt, parts.username, parts.password);
}

function equalText(a: string | Bytes, b: string | Bytes): boolean {
  const x = bytesOf(a);
  const y = bytesOf(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function textOf(b: Bytes): string {
  return new TextDecoder().decode(b);
}

function decodeRaw(bytes: Bytes, what: string): unknown {
  try {
    return rawDecoder.decode(bytes);
  } catch (e) {
    throw new ForwardError("bad_handshake", `Cannot read ${what}: ${(e as Error).message}`);
  }
}

/** The server's greeting: a nonce, and the user-auth salt when user auth is on. */
export interface Helo {
  /** Random bytes the PING digest must cover. */
  nonce: Bytes;
  /** The user-auth salt; null when the server sent none (no user auth). */
  auth: Bytes | null;
  /** Whether the server keeps the connection open after a message (spec default true). */
  keepalive: boolean;
}

/**
 * `["HELO", {nonce, auth, keepalive: true}]` with nonce and auth as msgpack bin, as Fluentd
 * sends them (Fluent Bit sends str, which clients that decode str as UTF-8, such as
 * fluent-logger, cannot hash back to the same bytes); `auth` empty when user auth is off.
 */
export function encodeHelo(helo: { nonce: Bytes; auth: Bytes }): Bytes {
  const w = new MpWriter();
  w.array(2).str("HELO").map(3);
  w.str("nonce").bin(helo.nonce);
  w.str("auth").bin(helo.auth);
  w.str("keepalive").bool(true);
  return w.bytes();
}

/** A msgpack str header and body holding raw bytes, as Fluent Bit sends nonce and salts. */
function rawStr(b: Bytes): Bytes {
  const head = b.length < 32 ? [0xa0 | b.length] : b.length < 256 ? [0xd9, b.length] : null;
  if (!head) {
    throw new RangeError(`Cannot write handshake bytes: expected under 256, got ${b.length}`);
  }
  const out = new Uint8Array(head.length + b.length);
  out.set(head);
  out.set(b, head.length);
  return out;
}

function asBytes(v: unknown): Bytes | null {
  return v instanceof Uint8Array ? v : typeof v === "string" ? utf8.encode(v) : null;
}

/** Reads a HELO (client side); throws ForwardError "bad_handshake" when it is not one. */
export function decodeHelo(bytes: Bytes): Helo {
  const v = decodeRaw(bytes, "HELO");
  if (
    !Array.isArray(v) || v.length < 2 || !equalText(asBytes(v[0]) ?? "", "HELO") || !isMap(v[1])
  ) {
    throw new ForwardError("bad_handshake", `Cannot read HELO: got ${describeValue(v)}`);
  }
  const opts = v[1];
  const nonce = asBytes(opts.nonce);
  if (!nonce) throw new ForwardError("bad_handshake", "Cannot read HELO: it has no nonce");
  return {
    nonce,
    auth: "auth" in opts ? asBytes(opts.auth) ?? new Uint8Array(0) : null,
    keepalive: typeof opts.keepalive === "boolean" ? opts.keepalive : true,
  };
}

/** What a client needs to answer a HELO. */
export interface PingCredentials {
  /** `self_hostname`. */
  hostname: string;
  /** The client's shared-key salt (Fluent Bit: 16 random bytes per output). */
  salt: Bytes;
  /** `shared_key` ("" for `empty_shared_key`). */
  sharedKey: string;
  /** `username`; "" when none. */
  username: string;
  /** `password`; "" when none. */
  password: string;
}

/**
 * `["PING", hostname, salt, digest, username, password_digest]`; the user fields are filled
 * when the HELO carried an `auth` key, as Fluent Bit does.
 */
export function encodePing(helo: Helo, me: PingCredentials): Bytes {
  const w = new MpWriter();
  w.array(6).str("PING").str(me.hostname).raw(rawStr(me.salt));
  w.str(sharedKeyDigest({ ...me, nonce: helo.nonce }));
  if (helo.auth !== null) {
    w.str(me.username).str(passwordDigest({ authSalt: helo.auth, ...me }));
  } else w.str("").str("");
  return w.bytes();
}

/** A server's view of a PING: accepted (with the salt for the PONG) or refused with a reason. */
export type PingResult =
  | { ok: true; hostname: Bytes; salt: Bytes; username: string }
  | { ok: false; reason: string; username: string };

/** What the server sent in its HELO and checks a PING against. */
export interface PingCheck {
  /** The nonce of this connection's HELO. */
  nonce: Bytes;
  /** The user-auth salt of this connection's HELO. */
  auth: Bytes;
  /** `shared_key` ("" for `empty_shared_key`). */
  sharedKey: string;
  /** `security.users`: name → password; empty means no user auth. */
  users: ReadonlyMap<string, string>;
}

/**
 * Checks a PING (server side). A malformed PING throws ForwardError "bad_handshake"; a wrong
 * key or user returns `ok: false` with Fluentd's reason (`shared_key mismatch`,
 * `username/password mismatch`).
 */
export function checkPing(bytes: Bytes, server: PingCheck): PingResult {
  const v = decodeRaw(bytes, "PING");
  const items = Array.isArray(v) ? v.map(asBytes) : [];
  if (items.length !== 6 || items.some((x) => x === null) || !equalText(items[0]!, "PING")) {
    throw new ForwardError("bad_handshake", `Cannot read PING: got ${describeValue(v)}`);
  }
  const [, hostname, salt, digest, username, password] = items as Bytes[];
  const user = textOf(username!);
  const expected = sharedKeyDigest({
    salt: salt!,
    hostname: hostname!,
    nonce: server.nonce,
    sharedKey: server.sharedKey,
  });
  if (!equalText(expected, digest!)) {
    return { ok: false, reason: "shared_key mismatch", username: user };
  }
  if (server.users.size > 0) {
    const known = server.users.get(user);
    const ok = known !== undefined && password!.length === 128 &&
      equalText(
        passwordDigest({ authSalt: server.auth, username: username!, password: known }),
        password!,
      );
    if (!ok) return { ok: false, reason: "username/password mismatch", username: user };
  }
  return { ok: true, hostname: hostname!, salt: salt!, username: user };
}

/** The PONG answering `result`: success with the server's digest, or Fluentd's refusal. */
export function encodePong(
  result: PingResult,
  server: { hostname: string; nonce: Bytes; sharedKey: string },
): Bytes {
  const w = new MpWriter();
  w.array(5).str("PONG");
  if (!result.ok) return w.bool(false).str(result.reason).str("").str("").bytes();
  const digest = sharedKeyDigest({ salt: result.salt, ...server });
  return w.bool(true).str("").str(server.hostname).str(digest).bytes();
}

/**
 * Checks a PONG (client side): throws ForwardError "auth_failed" with the server's reason
 * when refused or when its digest does not prove the shared key, "bad_handshake" when malformed.
 */
export function checkPong(bytes: Bytes, helo: Helo, me: PingCredentials): void {
  const v = decodeRaw(bytes, "PONG");
  if (!Array.isArray(v) || v.length !== 5 || !equalText(asBytes(v[0]) ?? "", "PONG")) {
    throw new ForwardError("bad_handshake", `Cannot read PONG: got ${describeValue(v)}`);
  }
  if (v[1] !== true) {
    const reason = textOf(asBytes(v[2]) ?? new Uint8Array(0));
    throw new ForwardError("auth_failed", `Forward server refused the handshake: ${reason}`);
  }
  const hostname = asBytes(v[3]) ?? new Uint8Array(0);
  const expected = sharedKeyDigest({
    salt: me.salt,
    hostname,
    nonce: helo.nonce,
    sharedKey: me.sharedKey,
  });
  if (!equalText(expected, asBytes(v[4]) ?? "")) {
    throw new ForwardError(
      "auth_failed",
      `Forward server's PONG digest does not match the shared key (server "${textOf(hostname)}")`,
    );
  }
}
