import { defaultsOf } from "../../../src/config/options.ts";
import { RetryableError } from "../../../src/engine/errors.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogChunk, MetricChunk } from "../../../src/event/chunk.ts";
import { captured, LIMITS } from "../../../src/forward/_testing.ts";
import { decodeForwardFrame } from "../../../src/forward/decode.ts";
import { Ack } from "../../../src/event/ack.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { startForwardReceiver } from "../../../src/testing/forward_receiver.ts";
import { until } from "../../../src/testing/until.ts";
import { OptionError } from "../../../src/plugin.ts";
import { createForwardOutput } from "./forward.ts";
import { type ForwardOutputOptions, forwardOutputOptions } from "./options.ts";

function options(o: Partial<ForwardOutputOptions> = {}): ForwardOutputOptions {
  return { ...defaultsOf(forwardOutputOptions), ...o } as ForwardOutputOptions;
}

function chunk(n: number, tag = "app"): LogChunk {
  const records = Array.from({ length: n }, (_, i) => ({
    time: new EventTime(1700000000 + i, i),
    metadata: {},
    body: { i, svc: i % 2 ? "a" : "b" },
  }));
  return { signal: "logs", tag, bytes: 0, ack: new Ack(), input: "t.0", records };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("forward output sends a chunk in Forward mode and reuses the connection", async () => {
  const rx = startForwardReceiver();
  const out = createForwardOutput(
    options({ port: rx.port, require_ack_response: true }),
    testFilterContext(),
  );
  try {
    await out.write(chunk(3));
    await out.write(chunk(2, "other"));
    assertEquals(rx.messages.map((m) => [m.tag, m.mode, m.records.length]), [
      ["app", "forward", 3],
      ["other", "forward", 2],
    ]);
    assertEquals(rx.messages[0]!.records[2]!.time, new EventTime(1700000002, 2));
    assertEquals(rx.connections, 1);
  } finally {
    await out.close?.();
    await rx.close();
  }
});

Deno.test("forward output with a per-record tag sends Message mode, with gzip Compressed mode", async () => {
  const rx = startForwardReceiver();
  const dyn = createForwardOutput(options({ port: rx.port, tag: "x.$svc" }), testFilterContext());
  const gz = createForwardOutput(
    options({ port: rx.port, compress: "gzip", tag: "z.$TAG" }),
    testFilterContext(),
  );
  try {
    await dyn.write(chunk(2));
    await gz.write(chunk(2));
    await until(() => rx.messages.length === 3, "three messages");
    assertEquals(rx.messages.map((m) => `${m.tag} ${m.mode}`).sort(), [
      "x.a message",
      "x.b message",
      "z.app compressed",
    ]);
  } finally {
    await dyn.close?.();
    await gz.close?.();
    await rx.close();
  }
});

Deno.test("forward output handshakes with shared_key and user, and a wrong key is retryable", async () => {
  const rx = startForwardReceiver({ sharedKey: "k", users: new Map([["u", "p"]]) });
  const good = createForwardOutput(
    options({ port: rx.port, shared_key: "k", username: "u", password: "p" }),
    testFilterContext(),
  );
  const bad = createForwardOutput(
    options({ port: rx.port, shared_key: "nope" }),
    testFilterContext(),
  );
  try {
    await good.write(chunk(1));
    await until(() => rx.messages.length === 1, "the message after the handshake");
    await assertRejects(() => bad.write(chunk(1)), RetryableError, "shared_key mismatch");
    assertEquals(rx.refused.length, 1);
  } finally {
    await good.close?.();
    await bad.close?.();
    await rx.close();
  }
});

Deno.test("forward output retries (RetryableError) when no ack comes within net.io_timeout", async () => {
  const rx = startForwardReceiver({ ack: false });
  const out = createForwardOutput(
    options({ port: rx.port, require_ack_response: true, "net.io_timeout": 0.05 }),
    testFilterContext(),
  );
  try {
    await assertRejects(() => out.write(chunk(1)), RetryableError, "no ack within");
  } finally {
    await out.close?.();
    await rx.close();
  }
});

Deno.test("forward output balances over upstream nodes round robin and fails over", async () => {
  const a = startForwardReceiver();
  const b = startForwardReceiver();
  const dead = freePort();
  const dir = await Deno.makeTempDir();
  const file = `${dir}/upstream.conf`;
  await Deno.writeTextFile(
    file,
    `[UPSTREAM]\n  name u\n[NODE]\n  name a\n  host 127.0.0.1\n  port ${a.port}\n` +
      `[NODE]\n  name dead\n  host 127.0.0.1\n  port ${dead}\n` +
      `[NODE]\n  name b\n  host 127.0.0.1\n  port ${b.port}\n  require_ack_response on\n`,
  );
  const out = createForwardOutput(options({ upstream: file }), testFilterContext());
  try {
    for (let i = 0; i < 6; i++) await out.write(chunk(1, `t${i}`));
    await until(() => a.messages.length === 2, "node a's two messages");
    // a, dead→b, b, a, dead→b, b
    assertEquals(a.messages.map((m) => m.tag), ["t0", "t3"]);
    assertEquals(b.messages.map((m) => m.tag), ["t1", "t2", "t4", "t5"]);
    assert(b.messages.every((m) => m.chunk !== undefined)); // node b's own key
  } finally {
    await out.close?.();
    await a.close();
    await b.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("forward output refuses Fluent Bit's invalid combinations at create time", () => {
  const ctx = testFilterContext();
  assertThrows(
    () => createForwardOutput(options({ compress: "gzip", time_as_integer: true }), ctx),
    OptionError,
    "incompatible with time_as_integer",
  );
  assertThrows(
    () => createForwardOutput(options({ compress: "gzip", tag: "$k" }), ctx),
    OptionError,
    "dynamic tags",
  );
  assertThrows(
    () => createForwardOutput(options({ username: "u" }), ctx),
    OptionError,
    "shared_key",
  );
});

Deno.test("forward output with fluentd_compat sends metrics as a Forward-mode event, not with upstream", async () => {
  const rx = startForwardReceiver();
  const metrics = decodeForwardFrame(captured("metrics"), LIMITS).metrics;
  const metricChunk = (): MetricChunk => ({
    signal: "metrics",
    tag: "m",
    bytes: 0,
    ack: new Ack(),
    input: "m.0",
    records: metrics,
  });
  const dir = await Deno.makeTempDir();
  const file = `${dir}/upstream.conf`;
  await Deno.writeTextFile(file, `[NODE]\n  name a\n  host 127.0.0.1\n  port ${rx.port}\n`);
  const ctx = testFilterContext();
  const compat = createForwardOutput(
    options({ port: rx.port, fluentd_compat: true, require_ack_response: true }),
    testFilterContext(),
  );
  const viaUpstream = createForwardOutput(options({ upstream: file, fluentd_compat: true }), ctx);
  try {
    await compat.write(metricChunk()); // resolves on the receiver's ack
    await viaUpstream.write(metricChunk());
    await until(() => rx.messages.length === 2, "both messages");
    const [a, b] = rx.messages;
    // [tag, [[now, [cmetrics map]]], options]: a log entry whose record is no map, as
    // Fluent Bit's in_forward also reads it; only Fluentd takes it.
    assertEquals([a!.mode, a!.signal, a!.rejected, a!.chunk !== undefined], [
      "forward",
      "logs",
      1,
      true,
    ]);
    assertEquals([b!.mode, b!.signal, b!.metrics], ["packed", "metrics", metrics]);
    assert(ctx.logLines.some((l) => l.includes("fluentd_compat has no effect with upstream")));
  } finally {
    await compat.close?.();
    await viaUpstream.close?.();
    await rx.close();
    await Deno.remove(dir, { recursive: true });
  }
});
