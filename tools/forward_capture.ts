/**
 * Captures what Fluent Bit 4.2.8's out_forward writes, for the byte-level tests of
 * src/forward: for each mode, a raw TCP listener on 127.0.0.1 takes one connection from a
 * Fluent Bit run with a fixed `dummy` input, answers the handshake (fixed nonce and auth salt)
 * and acks as a forward server would, and writes every byte the client sent to
 * testdata/forward/<mode>.bin. Run: `deno run --allow-all tools/forward_capture.ts [mode...]`
 * (mode names capture only those).
 */
import { Decoder } from "@msgpack/msgpack";
import { ackOf, checkPing, encodeAck, encodeHelo, encodePong } from "../src/forward/mod.ts";
import { msgpackEnd } from "../src/net/stream/mod.ts";
import { fluentBitPlugin } from "../src/testing/fluent_bit.ts";

const root = new URL("../", import.meta.url).pathname;
const FLUENT_BIT = Deno.env.get("FLUENT_BIT") ??
  `${root}../shared/peers/fluent-bit-4.2.8/fluent-bit`;
const NONCE = new TextEncoder().encode("NONCE-0123456789");
const AUTH = new TextEncoder().encode("AUTHSALT-0123456");
const DUMMY = [
  "-i",
  "dummy",
  "-t",
  "app.log",
  "-p",
  'dummy={"msg":"hi","n":1}',
  "-p",
  "samples=3",
  "-p",
  "start_time_sec=1700000000",
  "-p",
  "start_time_nsec=123456789",
  "-p",
  'metadata={"m":"x"}',
];

interface Mode {
  name: string;
  input: string[];
  output: string[];
  sharedKey?: string;
  users?: Map<string, string>;
}

const MODES: Mode[] = [
  { name: "default", input: DUMMY, output: [] },
  { name: "gzip", input: DUMMY, output: ["-p", "compress=gzip"] },
  { name: "ack", input: DUMMY, output: ["-p", "require_ack_response=true"] },
  { name: "send_options", input: DUMMY, output: ["-p", "send_options=true"] },
  { name: "retain_metadata", input: DUMMY, output: ["-p", "retain_metadata_in_forward_mode=true"] },
  { name: "time_as_integer", input: DUMMY, output: ["-p", "time_as_integer=true"] },
  {
    name: "message_mode",
    input: DUMMY,
    output: ["-p", "tag=$msg", "-p", "require_ack_response=true"],
  },
  {
    name: "shared_key",
    input: DUMMY,
    output: ["-p", "shared_key=secret", "-p", "self_hostname=client.local"],
    sharedKey: "secret",
  },
  {
    name: "user_auth",
    input: DUMMY,
    output: [
      "-p",
      "shared_key=secret",
      "-p",
      "self_hostname=client.local",
      "-p",
      "username=fluentbit",
      "-p",
      "password=changeme",
    ],
    sharedKey: "secret",
    users: new Map([["fluentbit", "changeme"]]),
  },
  { name: "metrics", input: ["-i", "event_type", "-p", "type=metrics", "-t", "m"], output: [] },
  { name: "traces", input: ["-i", "event_type", "-p", "type=traces", "-t", "t"], output: [] },
  {
    name: "metrics_fluentd_compat",
    input: ["-i", "event_type", "-p", "type=metrics", "-t", "m"],
    output: ["-p", "fluentd_compat=on"],
  },
  {
    name: "traces_fluentd_compat",
    input: ["-i", "event_type", "-p", "type=traces", "-t", "t"],
    output: ["-p", "fluentd_compat=on"],
  },
];

async function capture(mode: Mode): Promise<Uint8Array> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const child = new Deno.Command(FLUENT_BIT, {
    args: [
      "-q",
      "-f",
      "1",
      ...mode.input,
      ...fluentBitPlugin("-o", "forward", { match: "*", host: "127.0.0.1", port }),
      ...mode.output,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => listener.close(), 20_000);
  try {
    const conn = await listener.accept();
    const got: Uint8Array[] = [];
    let pending = new Uint8Array(0);
    let handshaking = mode.sharedKey !== undefined;
    if (handshaking) {
      await conn.write(encodeHelo({ nonce: NONCE, auth: mode.users ? AUTH : new Uint8Array(0) }));
    }
    const buf = new Uint8Array(1 << 16);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      const piece = buf.slice(0, n);
      got.push(piece);
      const all = new Uint8Array(pending.length + n);
      all.set(pending);
      all.set(piece, pending.length);
      let at = 0;
      let done = false;
      for (;;) {
        const end = msgpackEnd(all, at, 64 << 20);
        if (end < 0) break;
        const frame = all.subarray(at, end);
        at = end;
        if (handshaking) {
          const result = checkPing(frame, {
            nonce: NONCE,
            auth: AUTH,
            sharedKey: mode.sharedKey!,
            users: mode.users ?? new Map(),
          });
          await conn.write(
            encodePong(result, {
              hostname: "server.local",
              nonce: NONCE,
              sharedKey: mode.sharedKey!,
            }),
          );
          handshaking = false;
          continue;
        }
        const msg = new Decoder().decode(frame) as unknown[];
        const opts = msg[msg.length - 1] as Record<string, unknown>;
        const chunk = typeof opts === "object" && opts !== null
          ? (opts as { chunk?: string }).chunk
          : undefined;
        if (typeof chunk === "string") await conn.write(encodeAck(chunk));
        done = ackOf({ ack: chunk }) !== null || chunk === undefined;
      }
      pending = all.slice(at);
      if (done && pending.length === 0) break;
    }
    conn.close();
    const total = got.reduce((s, b) => s + b.length, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const b of got) {
      out.set(b, off);
      off += b.length;
    }
    return out;
  } finally {
    clearTimeout(timer);
    try {
      listener.close();
    } catch {
      // closed by the timer
    }
    child.kill("SIGKILL");
    await child.status;
    await child.stderr.cancel().catch(() => {});
  }
}

// Names on the command line capture only those modes; none captures every mode.
for (const mode of MODES.filter((m) => Deno.args.length === 0 || Deno.args.includes(m.name))) {
  const bytes = await capture(mode);
  await Deno.writeFile(`${root}testdata/forward/${mode.name}.bin`, bytes);
  console.log(`${mode.name}: ${bytes.length} bytes`);
}
