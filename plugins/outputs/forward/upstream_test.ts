import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { parseUpstream } from "./upstream.ts";

Deno.test("parseUpstream() reads Fluent Bit's classic upstream file with per-node keys", () => {
  const up = parseUpstream(
    `[UPSTREAM]
    name       forward-balancing

# first node
[NODE]
    name       node-1
    host       127.0.0.1
    port       43000

[NODE]
    name       node-2
    host       127.0.0.1
    port       44000
    shared_key secret
    Tls        on
`,
    "up.conf",
  );
  assertEquals(up.name, "forward-balancing");
  assertEquals(up.nodes.map((n) => [n.name, n.host, n.port]), [
    ["node-1", "127.0.0.1", 43000],
    ["node-2", "127.0.0.1", 44000],
  ]);
  assertEquals(up.nodes[1]!.properties, { shared_key: "secret", tls: "on" });
});

Deno.test("parseUpstream() reads the YAML form", () => {
  const up = parseUpstream(
    "upstream_servers:\n  - name: u\n    nodes:\n      - name: a\n        host: h\n        port: 1\n        compress: gzip\n",
    "up.yaml",
  );
  assertEquals(up.nodes[0], { name: "a", host: "h", port: 1, properties: { compress: "gzip" } });
});

Deno.test("parseUpstream() refuses files without nodes, bad ports and stray keys", () => {
  assertThrows(() => parseUpstream("[UPSTREAM]\n name x\n", "a.conf"), SyntaxError, "no [NODE]");
  assertThrows(() => parseUpstream("[NODE]\n port x\n", "a.conf"), SyntaxError, 'port "x"');
  assertThrows(() => parseUpstream("host h\n", "a.conf"), SyntaxError, "a.conf:1");
});
