/**
 * The udp input end to end: datagrams parsed one by one (several values in one datagram,
 * the sender's address added), an oversize datagram dropped and counted, and the kernel
 * drop gauge read from /proc/net/udp.
 */
import dgram from "node:dgram";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { TcpReceiver } from "../src/testing/tcp_receiver.ts";
import { until } from "../src/testing/until.ts";
import { entry, exactlyOnce, idsOf, netConfig, startNetService, tcpOut } from "./_net.ts";

Deno.test("udp input: datagrams become records; an oversize one is dropped and counted", async () => {
  const dir = await Deno.makeTempDir();
  const rx = await TcpReceiver.start();
  const svc = await startNetService(
    dir,
    netConfig(
      entry("udp", ["listen: 127.0.0.1", "port: 0", "chunk_size: 1", "source_address_key: src"]),
      tcpOut(rx.port, ["format: json_lines"]),
    ),
  );
  const socket = dgram.createSocket("udp4");
  try {
    const send = (text: string) =>
      new Promise<void>((resolve, reject) =>
        socket.send(text, svc.port, "127.0.0.1", (e) => (e ? reject(e) : resolve()))
      );
    for (let i = 0; i < 50; i += 2) await send(`{"id":${i}}\n{"id":${i + 1}}`);
    await send(`{"id":-1,"pad":"${"z".repeat(2000)}"}`);
    await send('{"id":50}');
    await rx.waitFor(() => rx.jsonLines().length >= 51, "51 records");
    const records = rx.jsonLines();
    assertEquals(exactlyOnce(idsOf(records), 51), "ok");
    assert(String(records[0]!.src).startsWith("udp://127.0.0.1:"), String(records[0]!.src));
    await until(
      () => svc.value("sluice_net_datagrams_oversize_total") === 1,
      "the oversize count",
      { timeout: 20_000 },
    );
    await until(
      () => svc.metrics.families.has("sluice_udp_kernel_drops"),
      "the kernel drop gauge",
      { timeout: 20_000 },
    );
    assertEquals(svc.value("sluice_udp_kernel_drops"), 0);
  } finally {
    socket.close();
    await svc.stop();
    await rx.stop();
  }
});
