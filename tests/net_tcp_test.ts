/**
 * The tcp input end to end over real sockets: JSON lines from several connections, a line
 * over buffer_size, malformed JSON, backpressure from a stalled output, the connection
 * limit and the idle timeout. Records leave through the tcp output to a real receiver.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { TcpReceiver } from "../src/testing/tcp_receiver.ts";
import { until } from "../src/testing/until.ts";
import {
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

function config(rxPort: number, input: string): string {
  return netConfig(
    tcpIn([input]),
    tcpOut(rxPort, ["format: json_lines", 'json_date_key: "off"', "retry_limit: no_limits"]),
    FAST_RETRY,
  );
}

Deno.test("tcp input: JSON lines from several connections all arrive, with the sender", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  const svc = await startNetService(dir, config(rx.port, "source_address_key: src"));
  try {
    await Promise.all([0, 1, 2, 3].map((k) => sendTcp(svc.port, jsonLines(k * 500, 500))));
    await sendTcp(svc.port, '{"id":2000}{"id":2001}\n[1,2]\n');
    await rx.waitFor(() => rx.jsonLines().length >= 2003, "2003 records");
    const records = rx.jsonLines();
    assertEquals(exactlyOnce(idsOf(records), 2002), "ok");
    assert(records.some((r) => JSON.stringify(r.msg) === "[1,2]"), "an array becomes msg");
    assert(String(records[0]!.src).startsWith("tcp://127.0.0.1:"), String(records[0]!.src));
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("tcp input: a line over buffer_size is skipped to the next newline, the rest kept", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  const svc = await startNetService(dir, config(rx.port, "buffer_size: 1"));
  try {
    const big = `{"id":-1,"pad":"${"y".repeat(5000)}"}\n`;
    await sendTcp(
      svc.port,
      jsonLines(0, 10) + big + jsonLines(10, 10) + "not json\n" +
        jsonLines(20, 10),
    );
    await rx.waitFor(() => rx.jsonLines().length >= 30, "30 records");
    assertEquals(exactlyOnce(idsOf(rx.jsonLines()), 30), "ok");
    assertEquals(svc.value("sluice_net_frames_oversize_total"), 1);
    assertEquals(svc.value("sluice_input_malformed_records_total"), 1);
    const log = svc.lines.join("");
    assertStringIncludes(log, "exceeds the buffer limit of 1024 bytes");
    assertStringIncludes(
      log,
      'invalid JSON message, skipping (further ones are counted, not logged): "not json"',
    );
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("tcp input: a stalled output pauses reading, and nothing is lost when it resumes", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  rx.stall();
  const svc = await startNetService(dir, config(rx.port, "mem_buf_limit: 1M"));
  try {
    const n = 200_000; // about 20 MB: more than the kernel buffers and mem_buf_limit together
    const sending = sendTcp(svc.port, jsonLines(0, n));
    let sent = false;
    sending.then(() => (sent = true));
    await until(() => svc.value("fluentbit_input_ingestion_paused") === 1, "the input to pause", {
      timeout: 20_000,
    });
    // Paused with the sender still blocked: the input stopped reading the socket.
    assertEquals(sent, false, "the sender's write completed although the input was paused");
    assert(svc.value("fluentbit_input_bytes_total") < n * 100, "the input read everything");
    rx.resume();
    await sending;
    await rx.waitFor(() => rx.jsonLines().length >= n, `${n} records`, 60_000);
    assertEquals(exactlyOnce(idsOf(rx.jsonLines()), n), "ok");
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("tcp input: connections past net.max_connections are closed at once and counted", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  const svc = await startNetService(dir, config(rx.port, "net.max_connections: 2"));
  const open: Deno.Conn[] = [];
  try {
    const enc = new TextEncoder();
    for (let i = 0; i < 2; i++) {
      const c = await Deno.connect({ hostname: "127.0.0.1", port: svc.port });
      open.push(c);
      await c.write(enc.encode(`{"id":${i}}\n`));
    }
    await rx.waitFor(() => rx.jsonLines().length >= 2, "the two connections' records");
    const third = await Deno.connect({ hostname: "127.0.0.1", port: svc.port });
    const n = await third.read(new Uint8Array(16)).catch(() => null);
    third.close();
    assertEquals(n, null, "the third connection was not closed");
    await until(() => svc.value("sluice_net_connections_refused_total") === 1, "one refusal", {
      timeout: 20_000,
    });
    await open[0]!.write(enc.encode(`{"id":2}\n`));
    await rx.waitFor(() => rx.jsonLines().length >= 3, "a kept connection still served");
    assertStringIncludes(svc.lines.join(""), "connection limit of 2 reached");
  } finally {
    for (const c of open) c.close();
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("tcp input: a connection idle past net.io_timeout is closed", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  const svc = await startNetService(dir, config(rx.port, "net.io_timeout: 300ms"));
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port: svc.port });
    await c.write(new TextEncoder().encode('{"id":0}\n'));
    const n = await c.read(new Uint8Array(16)).catch(() => null); // ends when sluice closes it
    c.close();
    assertEquals(n, null);
    await until(() => svc.value("sluice_net_connections_idle_closed_total") === 1, "idle close", {
      timeout: 20_000,
    });
    await rx.waitFor(() => rx.jsonLines().length >= 1, "the record sent before going idle");
  } finally {
    await svc.stop();
    await rx.stop();
  }
});
