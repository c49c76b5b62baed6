import { Decoder } from "@msgpack/msgpack";
import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { captured } from "./_testing.ts";
import { ForwardError } from "./errors.ts";
import {
  checkPing,
  checkPong,
  decodeHelo,
  encodeHelo,
  encodePing,
  encodePong,
  passwordDigest,
  sharedKeyDigest,
} from "./handshake.ts";
import { msgpackEnd } from "../net/stream/msgpack_scan.ts";

const utf8 = new TextEncoder();
const SALT = utf8.encode("0123456789abcdef");
const NONCE = utf8.encode("NONCE-0123456789");
const AUTH = utf8.encode("AUTHSALT-0123456");

Deno.test("sharedKeyDigest() and passwordDigest() match the reference vectors", () => {
  assertEquals(
    sharedKeyDigest({ salt: SALT, hostname: "client.local", nonce: NONCE, sharedKey: "secret" }),
    "24ba631b83889cdb405a1519e5948ce5d23b2850a484eeb881c1b23d911254b8840e3653a80e670832a013467f8e677e48af8a3df5596065691665b51dd5ea2a",
  );
  assertEquals(
    sharedKeyDigest({ salt: SALT, hostname: "server.local", nonce: NONCE, sharedKey: "secret" }),
    "084a01ed56798705e8fa068f6523013cfb1240680ddc33d18406b0a0dac583180741cca187d0ff136b5e191ef5748c017c3aebf1c5a703cc3f7fc6c09093a7a6",
  );
  assertEquals(
    passwordDigest({ authSalt: AUTH, username: "fluentbit", password: "changeme" }),
    "ddcee08a6cb60316eb66fb49daa4d4b9fd39735ec2a42dceb256e9866e2b7b50e6d72321629b4e243ae952398b166f3c47e7c3e89b402e86f509fc84be7d5943",
  );
});

function firstFrame(bytes: Uint8Array): Uint8Array {
  return bytes.subarray(0, msgpackEnd(bytes, 0));
}

Deno.test("checkPing() accepts the PING Fluent Bit 4.2.8 sent (shared_key secret)", () => {
  const ping = firstFrame(captured("shared_key"));
  const users = new Map<string, string>();
  const ok = checkPing(ping, { nonce: NONCE, auth: AUTH, sharedKey: "secret", users });
  assert(ok.ok);
  assertEquals(new TextDecoder().decode(ok.hostname), "client.local");
  assertEquals(ok.salt.length, 16);
  const wrong = checkPing(ping, { nonce: NONCE, auth: AUTH, sharedKey: "other", users });
  assertEquals(wrong, { ok: false, reason: "shared_key mismatch", username: "" });
});

Deno.test("checkPing() checks Fluent Bit's user auth digest (security.users)", () => {
  const ping = firstFrame(captured("user_auth"));
  const base = { nonce: NONCE, auth: AUTH, sharedKey: "secret" };
  const good = checkPing(ping, { ...base, users: new Map([["fluentbit", "changeme"]]) });
  assert(good.ok);
  assertEquals(good.username, "fluentbit");
  const bad = checkPing(ping, { ...base, users: new Map([["fluentbit", "nope"]]) });
  assertEquals(bad, { ok: false, reason: "username/password mismatch", username: "fluentbit" });
});

Deno.test("the client and server sides complete a handshake with raw (non UTF-8) nonce bytes", () => {
  const nonce = new Uint8Array(16).map((_, i) => 0xf0 + i);
  const auth = new Uint8Array(16).map((_, i) => 0x80 + i);
  const helo = decodeHelo(encodeHelo({ nonce, auth }));
  assertEquals(helo.nonce, nonce);
  assertEquals(helo.auth, auth);
  const me = {
    hostname: "c",
    salt: new Uint8Array(16).fill(0xff),
    sharedKey: "k",
    username: "u",
    password: "p",
  };
  const result = checkPing(encodePing(helo, me), {
    nonce,
    auth,
    sharedKey: "k",
    users: new Map([["u", "p"]]),
  });
  assert(result.ok);
  const pong = encodePong(result, { hostname: "srv", nonce, sharedKey: "k" });
  checkPong(pong, helo, me); // does not throw
  const forged = encodePong(result, { hostname: "srv", nonce, sharedKey: "other" });
  assertEquals(
    (assertThrows(() => checkPong(forged, helo, me), ForwardError) as ForwardError).reason,
    "auth_failed",
  );
});

Deno.test("encodePong() refuses with Fluentd's reason and checkPong() reports it", () => {
  const pong = encodePong({ ok: false, reason: "shared_key mismatch", username: "" }, {
    hostname: "s",
    nonce: NONCE,
    sharedKey: "k",
  });
  assertEquals(new Decoder().decode(pong), ["PONG", false, "shared_key mismatch", "", ""]);
  const helo = { nonce: NONCE, auth: null, keepalive: true };
  const me = { hostname: "c", salt: SALT, sharedKey: "k", username: "", password: "" };
  assertThrows(() => checkPong(pong, helo, me), ForwardError, "shared_key mismatch");
});

Deno.test("checkPing() refuses a malformed PING as bad_handshake", () => {
  const check = { nonce: NONCE, auth: AUTH, sharedKey: "k", users: new Map() };
  for (
    const bad of [new Uint8Array([0x91, 0xa4, 0x50, 0x49, 0x4e, 0x47]), new Uint8Array([0xc1])]
  ) {
    const e = assertThrows(() => checkPing(bad, check), ForwardError) as ForwardError;
    assertEquals(e.reason, "bad_handshake");
  }
});
