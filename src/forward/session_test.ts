import { Decoder } from "@msgpack/msgpack";
import { EventTime } from "../event/event_time.ts";
import { decodeHelo, DEFAULT_ENCODING, encodeForwardLogs, encodePing } from "./mod.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { ForwardSession } from "./session.ts";

const record = { time: new EventTime(1700000000, 5), metadata: {}, body: { msg: "hi" } };
const frame = encodeForwardLogs("app", [record], DEFAULT_ENCODING).bytes;
const client = {
  hostname: "client",
  salt: new Uint8Array(16).fill(7),
  sharedKey: "secret",
  username: "u",
  password: "p",
};

function secured(users: Map<string, string> = new Map()): ForwardSession {
  return new ForwardSession({
    security: { sharedKey: "secret", selfHostname: "srv", users },
    maxDecompressedBytes: 1 << 20,
  });
}

Deno.test("ForwardSession without a handshake decodes messages at once", () => {
  const s = new ForwardSession({ security: null, maxDecompressedBytes: 1 << 20 });
  assertEquals(s.greeting(), null);
  const step = s.frame(frame);
  assert(step.kind === "message");
  assertEquals(step.message.records[0]!.time, record.time);
});

Deno.test("ForwardSession runs HELO, PING, PONG and then takes messages", () => {
  const s = secured(new Map([["u", "p"]]));
  const helo = decodeHelo(s.greeting()!);
  assertEquals(helo.auth?.length, 16);
  const pong = s.frame(encodePing(helo, client));
  assert(pong.kind === "reply");
  const answer = new Decoder().decode(pong.bytes) as unknown[];
  assertEquals(answer.slice(0, 4), ["PONG", true, "", "srv"]);
  assertEquals(s.username, "u");
  assertEquals(s.frame(frame).kind, "message");
});

Deno.test("ForwardSession refuses a wrong shared key with Fluentd's reason, then closes", () => {
  const s = secured();
  const helo = decodeHelo(s.greeting()!);
  const step = s.frame(encodePing(helo, { ...client, sharedKey: "wrong" }));
  assert(step.kind === "refuse");
  assertEquals(step.error.reason, "auth_failed");
  assertEquals(new Decoder().decode(step.reply!), ["PONG", false, "shared_key mismatch", "", ""]);
});

Deno.test("ForwardSession refuses data before the handshake and malformed frames", () => {
  const s = secured();
  s.greeting();
  const early = s.frame(frame);
  assert(early.kind === "refuse");
  assertEquals(early.error.reason, "bad_handshake");
  const open = new ForwardSession({ security: null, maxDecompressedBytes: 1 << 20 });
  const bad = open.frame(new Uint8Array([0x92, 0x01, 0x02]));
  assert(bad.kind === "refuse");
  assertEquals(bad.error.reason, "bad_tag");
});
