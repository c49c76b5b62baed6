import { assertEquals } from "../../testing/assert.ts";
import { dropsInTable, kernelDrops } from "./kernel_drops.ts";
import { DatagramReceiver } from "./receiver.ts";
import { Logger, memorySink } from "../../engine/log.ts";

const TABLE =
  `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 3983: 0100007F:C896 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 43006 2 000000007ae8b1ea 0
 3984: 00000000:1432 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 43007 2 000000007ae8b1eb 17
`;

Deno.test("dropsInTable() sums the drops column of the sockets on a local port", () => {
  assertEquals(dropsInTable(TABLE, 5170), 17);
  assertEquals(dropsInTable(TABLE, 0xc896), 0);
  assertEquals(dropsInTable(TABLE, 9999), null);
});

Deno.test("kernelDrops() finds a bound UDP socket in /proc/net/udp", async () => {
  const rx = await DatagramReceiver.listen({
    transport: "udp",
    hostname: "127.0.0.1",
    port: 0,
    maxDatagramBytes: 100,
    log: new Logger({ sink: memorySink() }),
    dropsInterval: 0,
  });
  try {
    const port = (rx.addr as Deno.NetAddr).port;
    const linux = await Deno.stat("/proc/net/udp").then(() => true, () => false);
    assertEquals(await kernelDrops(port), linux ? 0 : null);
  } finally {
    await rx.close();
  }
});
