import { defaultsOf } from "../../../src/config/options.ts";
import { MetricsRegistry } from "../../../src/engine/metrics.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import {
  DEFAULT_ENCODING,
  encodeForwardLogs,
  encodeForwardMessage,
  gzip,
} from "../../../src/forward/mod.ts";
import { ForwardConnection } from "../../outputs/forward/connection.ts";
import { assert, assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { until } from "../../../src/testing/until.ts";
import { OptionError } from "../../../src/plugin.ts";
import { createForwardInput } from "./forward.ts";
import { type ForwardInputOptions, forwardInputOptions } from "./options.ts";

function options(o: Partial<ForwardInputOptions> = {}): ForwardInputOptions {
  return {
    ...defaultsOf(forwardInputOptions),
    listen: "127.0.0.1",
    port: 0,
    ...o,
  } as ForwardInputOptions;
}

const rec = (n: number) => ({
  time: new EventTime(1700000000, n),
  metadata: { m: n },
  body: { n },
});

/** Starts the input and a pump that collects its chunks (acks held until released). */
async function started(o: Partial<ForwardInputOptions> = {}) {
  const metrics = new MetricsRegistry();
  const ctx = testInputContext({ name: "forward.0", metrics });
  const input = createForwardInput(options(o), ctx);
  const got: Chunk[] = [];
  const pump = (async () => {
    for await (const c of input.chunks) got.push(c);
  })();
  const port = await input.listening as number;
  const connect = async () =>
    new ForwardConnection(await Deno.connect({ hostname: "127.0.0.1", port }), { timeoutMs: 5000 });
  const stop = async () => {
    ctx.controller.abort();
    await pump;
    await input.close?.();
  };
  return { ctx, metrics, got, port, connect, stop };
}

Deno.test("forward input turns messages into chunks with tag_prefix, times and metadata", async () => {
  const t = await started({ tag_prefix: "fw." });
  try {
    const c = await t.connect();
    await c.send(
      encodeForwardLogs("app", [rec(1), rec(2)], { ...DEFAULT_ENCODING, retainMetadata: true }),
    );
    await c.send(encodeForwardMessage("msg", rec(3), DEFAULT_ENCODING));
    await until(() => t.got.length === 2, "two chunks");
    assertEquals(t.got.map((ch) => ch.tag), ["fw.app", "fw.msg"]);
    const logs = t.got[0]!.records as ReturnType<typeof rec>[];
    assertEquals(logs.map((r) => [r.time.nsec, r.metadata]), [[1, { m: 1 }], [2, { m: 2 }]]);
    c.close();
  } finally {
    await t.stop();
  }
});

Deno.test("forward input acks a chunk only after its chunks' acks settled", async () => {
  const t = await started();
  try {
    const c = await t.connect();
    let acked = false;
    const sending = c.send(
      encodeForwardLogs("a", [rec(1)], { ...DEFAULT_ENCODING, requireAck: true }),
    )
      .then(() => (acked = true));
    await until(() => t.got.length === 1, "the first chunk");
    // A second connection's message goes through while the first chunk is held.
    const other = await t.connect();
    await other.send(encodeForwardLogs("b", [rec(2)], DEFAULT_ENCODING));
    await until(() => t.got.length === 2, "the second chunk");
    assertEquals(acked, false);
    assertEquals(t.metrics.value("sluice_input_forward_acks_total", { name: "forward.0" }), 0);
    t.got[0]!.ack.release();
    await sending;
    assertEquals(acked, true);
    c.close();
    other.close();
  } finally {
    await t.stop();
  }
});

Deno.test("forward input closes only the connection that sends bad input, counted by reason", async () => {
  const t = await started({ buffer_max_size: 10_000 });
  try {
    const good = await t.connect();
    const bad = async (bytes: Uint8Array) => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: t.port });
      await conn.write(bytes);
      const closed = await conn.read(new Uint8Array(16));
      conn.close();
      return closed;
    };
    assertEquals(await bad(new Uint8Array([0x92, 0x01, 0x02])), null); // tag not a string
    assertEquals(await bad(new Uint8Array([0x92, 0xa1, 0x74, 0xdd, 0xff, 0xff, 0xff, 0xff])), null);
    const badGzip = encodeForwardLogs("t", [rec(1)], { ...DEFAULT_ENCODING, compress: true }).bytes;
    const crc = badGzip.length - 38 - 6; // the gzip CRC, before the 38-byte options
    badGzip[crc] = badGzip[crc]! ^ 0xff;
    assertEquals(await bad(badGzip), null);
    await good.send(encodeForwardLogs("ok", [rec(9)], DEFAULT_ENCODING));
    await until(() => t.got.some((c) => c.tag === "ok"), "the good connection's chunk");
    const count = (reason: string) =>
      t.metrics.value("sluice_input_forward_refused_total", { name: "forward.0", reason });
    assertEquals([count("bad_tag"), count("too_large")], [1, 1]);
    assertEquals(count("bad_gzip"), 1);
    assertEquals(
      t.ctx.logLines.filter((l) => l.includes("later ones are logged at debug")).length >= 2,
      true,
    );
    good.close();
  } finally {
    await t.stop();
  }
});

Deno.test("forward input refuses a wrong shared key with Fluentd's reason", async () => {
  const t = await started({ shared_key: "right", self_hostname: "srv" });
  const me = {
    hostname: "c",
    salt: new Uint8Array(16),
    sharedKey: "right",
    username: "",
    password: "",
  };
  try {
    const c = await t.connect();
    await c.handshake(me);
    await c.send(
      encodeForwardLogs("s", [rec(1)], DEFAULT_ENCODING),
    );
    await until(() => t.got.length === 1, "the secure chunk");
    const wrong = await t.connect();
    let reason = "";
    await wrong.handshake({ ...me, sharedKey: "wrong" }).catch((e) => (reason = e.message));
    assert(reason.includes("shared_key mismatch"), reason);
    assertEquals(
      t.metrics.value("sluice_input_forward_refused_total", {
        name: "forward.0",
        reason: "auth_failed",
      }),
      1,
    );
    c.close();
  } finally {
    await t.stop();
  }
});

Deno.test("forward input refuses security.users without a shared key", () => {
  assertThrows(
    () => createForwardInput(options({ "security.users": ["a b"] }), testInputContext()),
    OptionError,
    "no shared_key",
  );
});

Deno.test("forward input reads concatenated gzip members of one CompressedPackedForward", async () => {
  const t = await started();
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: t.port });
    const one = encodeForwardLogs("x", [rec(1)], DEFAULT_ENCODING).bytes;
    const entries = one.subarray(4); // after fixarray(2), "x", fixarray(1)
    const a = gzip(entries);
    const b = gzip(entries);
    const payload = new Uint8Array([...a, ...b]);
    const head = [0x93, 0xa1, 0x67, 0xc5, payload.length >> 8, payload.length & 0xff];
    const opts = [
      0x81,
      0xaa,
      ...new TextEncoder().encode("compressed"),
      0xa4,
      ...new TextEncoder().encode("gzip"),
    ];
    await conn.write(new Uint8Array([...head, ...payload, ...opts]));
    await until(() => t.got.length === 1, "the compressed chunk");
    assertEquals(t.got[0]!.records.length, 2);
    conn.close();
  } finally {
    await t.stop();
  }
});

Deno.test("forward input and output talk over a unix socket (unix_path, unix_perm)", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/fw.sock`;
  const metrics = new MetricsRegistry();
  const ctx = testInputContext({ name: "forward.0", metrics });
  const input = createForwardInput(options({ unix_path: path, unix_perm: "0660" }), ctx);
  const got: Chunk[] = [];
  const pump = (async () => {
    for await (const c of input.chunks) {
      got.push(c);
      c.ack.release();
    }
  })();
  const { createForwardOutput } = await import("../../outputs/forward/forward.ts");
  const { forwardOutputOptions } = await import("../../outputs/forward/options.ts");
  const out = createForwardOutput(
    { ...defaultsOf(forwardOutputOptions), unix_path: path, require_ack_response: true } as never,
    testInputContext(),
  );
  try {
    assertEquals(await input.listening, path);
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o660);
    await out.write(ctx.chunk([rec(1), rec(2)], { tag: "u" }));
    assertEquals(got.map((c) => [c.tag, c.records.length]), [["u", 2]]);
  } finally {
    await out.close?.();
    ctx.controller.abort();
    await pump;
    await input.close?.();
    await Deno.remove(dir, { recursive: true });
  }
});
