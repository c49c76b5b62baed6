/**
 * Hostile and broken forward input against the CLI: a truncated frame, a wrong mode, a huge
 * declared array length, a bad gzip payload and a PING with a wrong digest. Each is counted
 * by reason (the Prometheus endpoint), logged once with a sample, and closes only its own
 * connection: a client connected all along still delivers, and the process stays up.
 */
import { EventTime } from "../src/event/event_time.ts";
import { decodeHelo, DEFAULT_ENCODING, encodeForwardLogs, encodePing } from "../src/forward/mod.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { ForwardConnection } from "../plugins/outputs/forward/connection.ts";
import { freePort, tempDirWith, waitFor } from "./_helpers.ts";
import { runSluice } from "./_forward.ts";

const rec = (n: number) => ({ time: new EventTime(1700000000, n), metadata: {}, body: { n } });

/** Writes `bytes` on a fresh connection and resolves when sluice closes it. */
async function sendAndWaitClose(
  port: number,
  bytes: Uint8Array,
  readFirst = false,
): Promise<Uint8Array> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const got: number[] = [];
  const buf = new Uint8Array(4096);
  if (readFirst) got.push(...buf.subarray(0, (await conn.read(buf)) ?? 0));
  await conn.write(bytes).catch(() => 0);
  for (;;) {
    const n = await conn.read(buf).catch(() => null);
    if (n === null) break;
    got.push(...buf.subarray(0, n));
  }
  conn.close();
  return new Uint8Array(got);
}

Deno.test("bad forward input is counted, logged once, and closes only its connection", async () => {
  const [plain, secure, http] = [freePort(), freePort(), freePort()];
  const dir = await tempDirWith({
    "sluice.yaml": `
service:
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${http}
pipeline:
  inputs:
    - { name: forward, listen: 127.0.0.1, port: ${plain}, buffer_max_size: 100k }
    - { name: forward, listen: 127.0.0.1, port: ${secure}, shared_key: right }
  outputs:
    - { name: stdout, match: "*" }
`,
  });
  const child = runSluice(`${dir}/sluice.yaml`);
  const out = () => child.stdout();
  const err = () => child.stderr();
  try {
    const good = new ForwardConnection(
      await waitFor(() => Deno.connect({ hostname: "127.0.0.1", port: plain }), { what: "sluice" }),
      { timeoutMs: 10_000 },
    );
    const full = encodeForwardLogs("t", [rec(1)], DEFAULT_ENCODING).bytes;
    // Truncated: sluice waits for the rest (as a slow sender's would come), the sender gives up.
    const cut = await Deno.connect({ hostname: "127.0.0.1", port: plain });
    await cut.write(full.subarray(0, full.length - 2));
    cut.close();
    await sendAndWaitClose(plain, new Uint8Array([0x92, 0xa1, 0x74, 0x05])); // wrong mode
    await sendAndWaitClose(plain, new Uint8Array([0x92, 0xa1, 0x74, 0xdd, 0xff, 0xff, 0xff, 0xff]));
    await sendAndWaitClose(plain, new Uint8Array([0x92, 0xa1, 0x74, 0xdd, 0xff, 0xff, 0xff, 0xff]));
    const gz = encodeForwardLogs("t", [rec(1)], { ...DEFAULT_ENCODING, compress: true }).bytes;
    gz[gz.length - 44]! ^= 0xff; // the gzip CRC
    await sendAndWaitClose(plain, gz);
    // A PING with the wrong key: answered with Fluentd's refusal, then closed.
    const helloConn = await Deno.connect({ hostname: "127.0.0.1", port: secure });
    const buf = new Uint8Array(1024);
    const helo = decodeHelo(buf.slice(0, (await helloConn.read(buf))!));
    const me = {
      hostname: "c",
      salt: new Uint8Array(16),
      sharedKey: "wrong",
      username: "",
      password: "",
    };
    await helloConn.write(encodePing(helo, me));
    const pong = buf.slice(0, (await helloConn.read(buf))!);
    assert(new TextDecoder().decode(pong).includes("shared_key mismatch"));
    helloConn.close();

    await good.send(encodeForwardLogs("alive", [rec(2)], DEFAULT_ENCODING));
    await waitFor(() => out().includes("alive: [[1700000000.000000002"), {
      what: "the good record",
    });
    const metrics: string = await waitFor(async () => {
      const text = await (await fetch(`http://127.0.0.1:${http}/api/v2/metrics/prometheus`)).text();
      return text.includes('reason="auth_failed"') ? text : "";
    }, { what: "the refusal counters" });
    const count = (reason: string) =>
      metrics.split("\n").filter((l) =>
        l.startsWith("sluice_input_forward_refused_total") && l.includes(`reason="${reason}"`)
      )
        .reduce((n, l) => n + Number(l.split(" ").pop()), 0);
    assertEquals(
      ["bad_mode", "too_large", "bad_gzip", "auth_failed"].map(count),
      [1, 2, 1, 1],
      metrics,
    );
    // The truncated frame only shows when its connection ends: not a refusal, nothing decoded.
    assertEquals(out().split("\n").filter((l) => l.includes("t: [[")).length, 0);
    assertEquals(err().split("incoming data exceed limit").length - 1, 1, `logged once:\n${err()}`);
    assert(err().includes("sample: 92 a1 74 05"), err());
    good.close();
  } finally {
    const status = await child.stop();
    assertEquals(
      status.signal === "SIGTERM" || status.code === 0,
      true,
      "sluice was alive until stopped",
    );
    await Deno.remove(dir, { recursive: true });
  }
});
