/**
 * The opentelemetry output's load balancing from the CLI: endpoints from a DNS name
 * (answered by a real dnsmasq) and a static entry, spans routed by trace ID to the endpoint
 * the agents' hash gives; `lb.on_down failover` moves a dead endpoint's traces to the
 * others; bad `lb.*` values are config errors at their line.
 */
import { decodeTraces, hexId } from "../src/otlp/mod.ts";
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { Dnsmasq, NO_DNSMASQ } from "../src/testing/dnsmasq.ts";
import { freePort, runSluice, tempDirWith, waitFor } from "./_helpers.ts";
import { postOtlp, startReceiver, startSluice, waitListening } from "./_otlp_helpers.ts";
import { homeOf } from "./_scale_out.ts";

function hex(n: number, bytes: number): string {
  return n.toString(16).padStart(bytes * 2, "0");
}

/** Two spans each of `traces` traces, as one OTLP/JSON request. */
function request(traces: number, from = 0): string {
  const spans = [];
  for (let t = from; t < from + traces; t++) {
    for (let s = 0; s < 2; s++) {
      spans.push({ traceId: hex(0xab000000 + t, 16), spanId: hex(t * 2 + s + 1, 8), name: "op" });
    }
  }
  return JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
}

function traceIds(rx: { requests: { body: Uint8Array }[] }): string[] {
  return rx.requests.flatMap((r) => decodeTraces(r.body, "protobuf").map((s) => hexId(s.traceId)));
}

Deno.test("lb.dns and lb.endpoints: each trace goes whole to the endpoint its ID hashes to", async () => {
  const a = startReceiver();
  const b = startReceiver();
  const dns = await Dnsmasq.start({ "aggs.sluice.test": ["127.0.0.1"] });
  if (!dns) {
    await Promise.all([a.close(), b.close()]);
    return console.log(NO_DNSMASQ);
  }
  const port = freePort();
  const sluice = await startSluice(`
service: { flush: 0.2, grace: 2 }
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: opentelemetry
      match: "*"
      lb.dns: [aggs.sluice.test:${a.port}]
      lb.dns_server: 127.0.0.1:${dns.port}
      lb.endpoints: [127.0.0.1:${b.port}]
`);
  try {
    await waitListening(port);
    assertEquals((await postOtlp(port, "/v1/traces", { body: request(40) })).status, 201);
    await waitFor(() => traceIds(a).length + traceIds(b).length === 80, { what: "80 spans" });
    const endpoints = [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`];
    for (const [k, rx] of [a, b].entries()) {
      const ids = traceIds(rx);
      assert(ids.length > 0, `endpoint ${k} got a share`);
      for (const id of ids) assertEquals(homeOf(id, endpoints), k, `trace ${id} at its home`);
    }
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await dns.stop();
    await Promise.all([a.close(), b.close()]);
  }
});

Deno.test("lb.on_down failover: a dead endpoint's traces go to the others after lb.failover_after failures", async () => {
  const a = startReceiver();
  const deadPort = freePort(); // nothing listens there
  const port = freePort();
  const sluice = await startSluice(`
service: { flush: 0.2, grace: 2, scheduler.base: 1, scheduler.cap: 1 }
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: opentelemetry
      match: "*"
      retry_limit: no_limits
      lb.endpoints: [127.0.0.1:${a.port}, 127.0.0.1:${deadPort}]
      lb.on_down: failover
      lb.failover_after: 2
`);
  try {
    await waitListening(port);
    assertEquals((await postOtlp(port, "/v1/traces", { body: request(30) })).status, 201);
    await waitFor(() => traceIds(a).length === 60, {
      timeoutMs: 30_000,
      what: "all 60 spans at the live endpoint",
    });
    const ids = traceIds(a);
    assertEquals(new Set(ids).size, 30);
    await waitFor(() => sluice.stderr.some((l) => l.includes("is down after 2 failed writes")), {
      what: "the failover warning",
    });
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    await a.close();
  }
});

Deno.test("sluice validate names the line of a bad lb.endpoints entry", async () => {
  const dir = await tempDirWith({
    "bad.yaml": `pipeline:
  outputs:
    - name: opentelemetry
      match: "*"
      lb.endpoints: [a.example:4317, "b.example:99999"]
`,
  });
  const r = await runSluice(["validate", "-c", `${dir}/bad.yaml`]);
  assert(r.code !== 0);
  assertStringIncludes(r.stderr + r.stdout, "bad.yaml:5:");
  assertStringIncludes(r.stderr + r.stdout, "lb.endpoints");
  await Deno.remove(dir, { recursive: true });
});
