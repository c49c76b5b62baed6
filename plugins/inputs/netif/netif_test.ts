import { assertEquals } from "../../../src/testing/assert.ts";
import { interfaceCounters, netifRecord } from "./netif.ts";

const DEV = (rx: number, tx: number) =>
  "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|...\n" +
  `    lo: 5 5 0 0 0 0 0 0 5 5 0 0 0 0 0 0\n  eth0: ${rx} 10 1 2 0 0 0 3 ${tx} 20 0 0 0 4 0 0\n`;

Deno.test("netif: deltas of bytes, packets, errors; verbose adds every column", () => {
  const a = interfaceCounters(DEV(1000, 500), "eth0")!;
  const b = interfaceCounters(DEV(1600, 900), "eth0")!;
  assertEquals(netifRecord("eth0", a, b, false), {
    "eth0.rx.bytes": 600,
    "eth0.rx.packets": 0,
    "eth0.rx.errors": 0,
    "eth0.tx.bytes": 400,
    "eth0.tx.packets": 0,
    "eth0.tx.errors": 0,
  });
  const verbose = netifRecord("eth0", a, b, true);
  assertEquals(Object.keys(verbose).length, 16);
  assertEquals(verbose["eth0.tx.compressepd"], 0);
  assertEquals(interfaceCounters(DEV(1, 1), "wlan0"), undefined);
});
