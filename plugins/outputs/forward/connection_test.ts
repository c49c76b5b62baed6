import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import {
  checkPing,
  DEFAULT_ENCODING,
  encodeAck,
  encodeForwardLogs,
  encodeHelo,
  encodePong,
} from "../../../src/forward/mod.ts";
import { msgpackEnd } from "../../../src/net/stream/mod.ts";
import { ForwardConnection, ForwardConnectionError } from "./connection.ts";

/** A scripted server: `reply(frame)` answers each frame the client writes. */
function scripted(greeting: Uint8Array | null, reply: (frame: Uint8Array) => Uint8Array | null) {
  const toClient: Uint8Array[] = greeting ? [greeting] : [];
  let wake: (() => void) | null = null;
  let buffered = new Uint8Array(0);
  let closed = false;
  const stream = {
    written: [] as Uint8Array[],
    async read(p: Uint8Array): Promise<number | null> {
      while (toClient.length === 0 && !closed) await new Promise<void>((r) => (wake = r));
      if (toClient.length === 0) return null;
      const b = toClient.shift()!;
      p.set(b);
      return b.length;
    },
    write(p: Uint8Array): Promise<number> {
      stream.written.push(p.slice());
      const all = new Uint8Array(buffered.length + p.length);
      all.set(buffered);
      all.set(p, buffered.length);
      const end = msgpackEnd(all, 0, 1 << 20);
      if (end > 0) {
        buffered = all.slice(end);
        const r = reply(all.subarray(0, end));
        if (r) toClient.push(r);
        wake?.();
      } else buffered = all;
      return Promise.resolve(p.length);
    },
    close() {
      closed = true;
      wake?.();
    },
  };
  return stream;
}

const record = { time: new EventTime(1, 2), metadata: {}, body: { a: 1 } };
const me = {
  hostname: "c",
  salt: new Uint8Array(16).fill(1),
  sharedKey: "k",
  username: "",
  password: "",
};
const nonce = new Uint8Array(16).fill(2);

Deno.test("ForwardConnection handshakes, sends and waits for the matching ack", async () => {
  let handshaken = false;
  const stream = scripted(encodeHelo({ nonce, auth: new Uint8Array(0) }), (frame) => {
    if (!handshaken) {
      handshaken = true;
      const r = checkPing(frame, {
        nonce,
        auth: new Uint8Array(0),
        sharedKey: "k",
        users: new Map(),
      });
      return encodePong(r, { hostname: "s", nonce, sharedKey: "k" });
    }
    return encodeAck(msg.chunk!);
  });
  const msg = encodeForwardLogs("t", [record], { ...DEFAULT_ENCODING, requireAck: true });
  const c = new ForwardConnection(stream, { timeoutMs: 5000 });
  await c.handshake(me);
  await c.send(msg);
  assertEquals(c.sent, 1);
  assertEquals(stream.written.length, 2);
});

Deno.test("ForwardConnection fails with auth when the server refuses the key", async () => {
  const stream = scripted(encodeHelo({ nonce, auth: new Uint8Array(0) }), (frame) => {
    const r = checkPing(frame, {
      nonce,
      auth: new Uint8Array(0),
      sharedKey: "x",
      users: new Map(),
    });
    return encodePong(r, { hostname: "s", nonce, sharedKey: "x" });
  });
  const c = new ForwardConnection(stream, { timeoutMs: 5000 });
  const e = await assertRejects(
    () => c.handshake(me),
    ForwardConnectionError,
    "shared_key mismatch",
  );
  assertEquals((e as ForwardConnectionError).kind, "auth");
  assertEquals(c.closed, true);
});

Deno.test("ForwardConnection fails on a wrong ack and on a server that closes", async () => {
  const msg = encodeForwardLogs("t", [record], { ...DEFAULT_ENCODING, requireAck: true });
  const wrong = new ForwardConnection(scripted(null, () => encodeAck("other")), {
    timeoutMs: 5000,
  });
  await assertRejects(() => wrong.send(msg), ForwardConnectionError, 'ack "other"');
  const gone = scripted(null, () => null);
  const c = new ForwardConnection(gone, { timeoutMs: 0 });
  const sending = c.send(msg);
  gone.close();
  await assertRejects(() => sending, ForwardConnectionError, "closed the connection");
});

Deno.test("ForwardConnection gives up waiting for an ack after the timeout", async () => {
  const msg = encodeForwardLogs("t", [record], { ...DEFAULT_ENCODING, requireAck: true });
  const silent = scripted(null, () => null);
  const c = new ForwardConnection(silent, { timeoutMs: 20 });
  await assertRejects(() => c.send(msg), ForwardConnectionError, "no ack within");
  assertEquals(c.closed, true);
});
