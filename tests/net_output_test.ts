/**
 * The tcp and udp outputs end to end: reconnecting after the receiver goes down and comes
 * back (nothing lost), msgpack framing, TLS both ways, and one datagram per record.
 */
import dgram from "node:dgram";
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { TcpReceiver } from "../src/testing/tcp_receiver.ts";
import { selfSignedCert } from "../src/testing/tls_certs.ts";
import { until } from "../src/testing/until.ts";
import {
  entry,
  exactlyOnce,
  FAST_RETRY,
  idsOf,
  jsonLines,
  netConfig,
  sendTcp,
  startNetService,
  tcpIn,
  tcpOut,
} from "./_net.ts";

function config(input: readonly string[], output: string): string {
  return netConfig(tcpIn(input), output, FAST_RETRY);
}

/** The tcp output under test, retrying without limit. */
function retryingTcpOut(port: number, keys: readonly string[] = []): string {
  return tcpOut(port, ["retry_limit: no_limits", ...keys]);
}

Deno.test("tcp output: the receiver goes down and comes back, every record arrives once", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  const svc = await startNetService(
    dir,
    config([], retryingTcpOut(rx.port, ["format: json_lines"])),
  );
  try {
    await sendTcp(svc.port, jsonLines(0, 100));
    await rx.waitFor(() => rx.jsonLines().length >= 100, "the first 100 records");
    await rx.stop();
    await sendTcp(svc.port, jsonLines(100, 100));
    await until(() => svc.value("fluentbit_output_retries_total") > 0, "a retry while down", {
      timeout: 20_000,
    });
    rx.restart();
    await rx.waitFor(() => rx.jsonLines().length >= 200, "all 200 records");
    assertEquals(exactlyOnce(idsOf(rx.jsonLines()), 200), "ok");
    assert(rx.accepted >= 2, "the output reconnected");
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("tcp output: format msgpack writes v2 records [[time, metadata], body]", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  const svc = await startNetService(dir, config([], retryingTcpOut(rx.port)));
  try {
    await sendTcp(svc.port, jsonLines(0, 50));
    await rx.waitFor(() => rx.msgpackValues().length >= 50, "50 msgpack records");
    const values = rx.msgpackValues() as [[unknown, unknown], Record<string, unknown>][];
    assertEquals(exactlyOnce(idsOf(values.map((v) => v[1])), 50), "ok");
    assert(Array.isArray(values[0]![0]), "v2 header [time, metadata]");
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("tcp input and output over TLS: verify off, and verify on with the CA", async (t) => {
  const pem = await selfSignedCert();
  const rx = await TcpReceiver.start();
  // sluice A: a TLS tcp input forwarding to the receiver.
  const a = await startNetService(
    await Deno.makeTempDir(),
    config(
      ["tls: on", `tls.crt_file: ${pem.certFile}`, `tls.key_file: ${pem.keyFile}`],
      retryingTcpOut(rx.port, ["format: json_lines"]),
    ),
  );
  try {
    for (
      const [step, tls, from] of [
        ["verify off", "tls.verify: off", 0],
        ["verify on, ca_file", `tls.ca_file: ${pem.certFile}`, 100],
      ] as const
    ) {
      await t.step(step, async () => {
        // sluice B: a plain tcp input whose tcp output speaks TLS to A.
        const b = await startNetService(
          await Deno.makeTempDir(),
          config([], retryingTcpOut(a.port, ["format: json_lines", "tls: on", tls])),
        );
        try {
          await sendTcp(b.port, jsonLines(from, 100));
          await rx.waitFor(() => rx.jsonLines().length >= from + 100, `${from + 100} records`);
        } finally {
          await b.stop();
        }
      });
    }
    assertEquals(exactlyOnce(idsOf(rx.jsonLines()), 200), "ok");
    await t.step("verify on without the CA: a permanent error naming the certificate", async () => {
      const b = await startNetService(
        await Deno.makeTempDir(),
        config([], retryingTcpOut(a.port, ["format: json_lines", "tls: on"])),
      );
      try {
        await sendTcp(b.port, jsonLines(500, 10));
        await until(() => b.value("fluentbit_output_dropped_records_total") === 10, "a drop", {
          timeout: 20_000,
        });
        assertEquals(b.value("fluentbit_output_retries_total"), 0);
        assertStringIncludes(b.lines.join(""), "certificate");
      } finally {
        await b.stop();
      }
    });
  } finally {
    await a.stop();
    await rx.stop();
    await Deno.remove(pem.dir, { recursive: true });
  }
});

Deno.test("udp output: one JSON line datagram per record", async () => {
  const dir = await Deno.makeTempDir();
  const socket = dgram.createSocket("udp4");
  const got: string[] = [];
  socket.on("message", (m) => got.push(new TextDecoder().decode(m)));
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", r));
  const port = socket.address().port;
  const svc = await startNetService(
    dir,
    config([], entry("udp", ['match: "*"', "host: 127.0.0.1", `port: ${port}`])),
  );
  try {
    await sendTcp(svc.port, jsonLines(0, 20));
    await until(() => got.length >= 20, "20 datagrams", { timeout: 20_000 });
    assert(got.every((d) => d.endsWith("}\n") && d.indexOf("\n") === d.length - 1), got[0]);
    assertEquals(exactlyOnce(idsOf(got.map((d) => JSON.parse(d))), 20), "ok");
  } finally {
    await svc.stop();
    socket.close();
  }
});
