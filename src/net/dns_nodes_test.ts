import { assertEquals, assertThrows } from "../testing/assert.ts";
import { Dnsmasq, NO_DNSMASQ } from "../testing/dnsmasq.ts";
import { DnsNodes, parseHostPort } from "./dns_nodes.ts";

Deno.test("DnsNodes: a name with three A records gives three endpoints; a changed answer is seen on refresh", async () => {
  const dns = await Dnsmasq.start({ "aggs.sluice.test": ["127.0.0.3", "127.0.0.1", "127.0.0.2"] });
  if (!dns) return console.log(NO_DNSMASQ);
  try {
    const nodes = new DnsNodes([{ name: "aggs.sluice.test", port: 4317 }], {
      nameServer: dns.nameServer,
    });
    assertEquals(await nodes.refresh(), ["127.0.0.1:4317", "127.0.0.2:4317", "127.0.0.3:4317"]);
    await dns.setHosts({ "aggs.sluice.test": ["127.0.0.1", "127.0.0.3"] });
    let got: string[] = [];
    for (let i = 0; i < 50 && got.length !== 2; i++) {
      got = await nodes.refresh();
      if (got.length !== 2) await new Promise((r) => setTimeout(r, 100));
    }
    assertEquals(got, ["127.0.0.1:4317", "127.0.0.3:4317"]);
  } finally {
    await dns.stop();
  }
});

Deno.test("DnsNodes keeps a name's last addresses while its server does not answer", async () => {
  const dns = await Dnsmasq.start({ "one.sluice.test": ["127.0.0.1"] });
  if (!dns) return console.log(NO_DNSMASQ);
  const nodes = new DnsNodes([{ name: "one.sluice.test", port: 9 }], {
    nameServer: dns.nameServer,
    timeoutMs: 1500,
  });
  assertEquals(await nodes.refresh(), ["127.0.0.1:9"]);
  await dns.stop();
  const errors: string[] = [];
  assertEquals(await nodes.refresh((name) => errors.push(name)), ["127.0.0.1:9"]);
  assertEquals(errors, ["one.sluice.test"]);
});

Deno.test("parseHostPort reads host, host:port and [v6]:port, and refuses the rest", () => {
  assertEquals(parseHostPort("a.example:4317", 1), { name: "a.example", port: 4317 });
  assertEquals(parseHostPort("[::1]:9", 1), { name: "::1", port: 9 });
  assertEquals(parseHostPort("a", 4318), { name: "a", port: 4318 });
  assertThrows(() => parseHostPort("a:b:c", 1), SyntaxError);
  assertThrows(() => parseHostPort("a:70000", 1), RangeError);
});
