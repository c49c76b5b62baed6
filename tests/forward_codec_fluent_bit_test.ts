/**
 * src/forward's encodings against Fluent Bit 4.2.8's in_forward: every out_forward shape
 * sluice writes (Forward mode, gzip, acks, integer times, metadata, Message mode, metrics,
 * traces) and the client handshake (shared_key, users) are sent to a real Fluent Bit on
 * 127.0.0.1, and what its stdout output prints must equal what was sent, time to the ns.
 */
import { EventTime } from "../src/event/event_time.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import {
  DEFAULT_ENCODING,
  encodeForwardLogs,
  encodeForwardMessage,
  encodeForwardMetrics,
  encodeForwardSpans,
  type ForwardEncoding,
} from "../src/forward/mod.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { kitSamples } from "../src/testing/samples.ts";
import { until } from "../src/testing/until.ts";
import { ForwardConnection } from "../plugins/outputs/forward/connection.ts";
import {
  fluentBitPath,
  fluentBitPlugin,
  NO_PEER,
  spawnFluentBit,
} from "../src/testing/fluent_bit.ts";
import { freePort } from "./_helpers.ts";

const bin = await fluentBitPath();

function peer(port: number, extra: string[]) {
  return spawnFluentBit(bin!, [
    "-f",
    "1",
    ...fluentBitPlugin("-i", "forward", { listen: "127.0.0.1", port }),
    ...extra,
    "-o",
    "stdout",
    "-m",
    "*",
  ]);
}

async function connect(port: number): Promise<ForwardConnection> {
  const conn = await until(
    () => Deno.connect({ hostname: "127.0.0.1", port }).catch(() => null),
    `Fluent Bit listening on ${port}`,
    { timeout: 10_000, interval: 50 },
  );
  return new ForwardConnection(conn!, { timeoutMs: 10_000 });
}

function rec(n: number, nsec: number, metadata = {}): LogRecord {
  return { time: new EventTime(1700000000 + n, nsec), metadata, body: { n, msg: `line ${n}` } };
}

/** Fluent Bit's stdout line of a record: `[0] TAG: [[SEC.NSEC, {META}], {BODY}]`. */
function printed(tag: string, r: LogRecord, meta = "{}"): string {
  const ns = String(r.time.nsec).padStart(9, "0");
  return `${tag}: [[${r.time.sec}.${ns}, ${meta}], {"n"=>${r.body.n}, "msg"=>"${r.body.msg}"}]`;
}

Deno.test({
  name: "Fluent Bit's in_forward reads every log shape sluice encodes, time to the nanosecond",
  ignore: bin === null,
  async fn() {
    const port = freePort();
    const fb = peer(port, []);
    try {
      const c = await connect(port);
      const cases: [string, Partial<ForwardEncoding>, number][] = [
        ["plain", {}, 1],
        ["gzip", { compress: true }, 2],
        ["ack", { requireAck: true }, 3],
        ["gzip.ack", { compress: true, requireAck: true }, 4],
        ["options", { sendOptions: true, extraOptions: [["k", "v"]] }, 5],
      ];
      for (const [tag, enc, n] of cases) {
        await c.send(
          encodeForwardLogs(tag, [rec(n, 123456789), rec(n, 5)], { ...DEFAULT_ENCODING, ...enc }),
        );
      }
      const meta = rec(6, 999999999, { otlp: { k: "v" } });
      await c.send(
        encodeForwardLogs("meta", [meta], { ...DEFAULT_ENCODING, retainMetadata: true }),
      );
      await c.send(
        encodeForwardMessage("msg", rec(7, 42, { a: 1 }), {
          ...DEFAULT_ENCODING,
          requireAck: true,
        }),
      );
      await c.send(
        encodeForwardLogs("int", [rec(8, 777)], { ...DEFAULT_ENCODING, timeAsInteger: true }),
      );
      await until(() => fb.stdout().includes("int: "), "the last record printed", {
        timeout: 10_000,
      });
      const out = fb.stdout();
      for (const [tag, , n] of cases) {
        assert(out.includes(printed(tag, rec(n, 123456789))), `${tag} in:\n${out}`);
        assert(out.includes(printed(tag, rec(n, 5))), `${tag} (second) in:\n${out}`);
      }
      assert(out.includes(printed("meta", meta, '{"otlp"=>{"k"=>"v"}}')), out);
      assert(out.includes(printed("msg", rec(7, 42), '{"a"=>1}')), out);
      assert(out.includes(printed("int", rec(8, 0))), out);
      c.close();
    } finally {
      await fb.stop();
    }
  },
});

Deno.test({
  name:
    "Fluent Bit's in_forward accepts sluice's handshake (shared_key, security.users) and metrics and traces",
  ignore: bin === null,
  async fn() {
    const port = freePort();
    const fb = peer(port, [
      "-p",
      "shared_key=s3cret",
      "-p",
      "self_hostname=fb.local",
      "-p",
      "security.users=alice pw1",
    ]);
    try {
      const me = {
        hostname: "sluice",
        salt: new Uint8Array(16).fill(9),
        sharedKey: "s3cret",
        username: "alice",
        password: "pw1",
      };
      const c = await connect(port);
      await c.handshake(me);
      await c.send(
        encodeForwardLogs("secure", [rec(1, 1)], { ...DEFAULT_ENCODING, requireAck: true }),
      );
      const samples = kitSamples();
      await c.send(
        encodeForwardMetrics("m", samples.metrics, { ...DEFAULT_ENCODING, requireAck: true }),
      );
      await c.send(
        encodeForwardSpans("t", samples.traces, {
          ...DEFAULT_ENCODING,
          compress: true,
          requireAck: true,
        }),
      );
      await until(
        () => fb.stdout().includes("first") && fb.stdout().includes('g{a="b"}'),
        "metrics and traces printed",
        { timeout: 10_000 },
      );
      const out = fb.stdout();
      assert(out.includes(printed("secure", rec(1, 1))), out);
      assert(out.includes('g{a="b"} = 1.5'), out);
      assert(out.includes('s{a="b"} = 3'), out);
      assert(out.includes("5b8efff798038103d269b633813fc60c"), out);
      c.close();
      const wrong = await connect(port);
      let refused = "";
      await wrong.handshake({ ...me, password: "nope" }).catch((e) => (refused = e.message));
      assertEquals(refused.includes("username/password mismatch"), true, refused);
    } finally {
      await fb.stop();
    }
  },
});

if (bin === null) console.log(NO_PEER);
