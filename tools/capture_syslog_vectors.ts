/**
 * Captures what Fluent Bit's `out_syslog` really sends, for byte-exact tests of the
 * syslog output's formatting: each case is one `dummy` record (fixed time) routed to one
 * `syslog` output on its own port; the bytes received become
 * `testdata/syslog/fluent-bit-out_syslog-vectors.json`.
 *
 * Run (needs the Fluent Bit peer binary): `deno run --allow-all tools/capture_syslog_vectors.ts`
 */
import dgram from "node:dgram";
import { stringify } from "yaml";
import { CASES } from "./syslog_vector_cases.ts";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function freePort(): Promise<number> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return await Promise.resolve(port);
}

async function main(): Promise<void> {
  const root = new URL("..", import.meta.url).pathname;
  const fluentBit = `${root}../shared/peers/fluent-bit-4.2.8/fluent-bit`;
  const received = new Map<number, Uint8Array[]>();
  const ports: number[] = [];
  const closers: (() => void)[] = [];
  for (let i = 0; i < CASES.length; i++) {
    const port = await freePort();
    ports.push(port);
    received.set(port, []);
    const tcp = Deno.listen({ hostname: "127.0.0.1", port });
    const udp = dgram.createSocket("udp4");
    udp.on("message", (d: Uint8Array) => received.get(port)!.push(new Uint8Array(d)));
    await new Promise<void>((resolve) => udp.bind(port, "127.0.0.1", resolve));
    closers.push(() => tcp.close(), () => udp.close());
    (async () => {
      for await (const conn of tcp) {
        (async () => {
          const parts: Uint8Array[] = [];
          for await (const b of conn.readable) parts.push(b);
          const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
          let at = 0;
          for (const p of parts) all.set(p, (at += p.length) - p.length);
          received.get(port)!.push(all);
        })();
      }
    })().catch(() => {});
  }
  const inputs = CASES.map((c, i) => ({
    name: "dummy",
    tag: `case.${i}`,
    dummy: JSON.stringify(c.record),
    samples: 1,
    fixed_timestamp: "on",
    start_time_sec: c.time[0],
    start_time_nsec: c.time[1],
  }));
  const outputs = CASES.map((c, i) => ({
    name: "syslog",
    match: `case.${i}`,
    host: "127.0.0.1",
    port: ports[i],
    ...c.options,
  }));
  const dir = await Deno.makeTempDir();
  const config = `${dir}/fluent-bit.yaml`;
  await Deno.writeTextFile(
    config,
    stringify({
      service: { flush: 0.2, log_level: "info", grace: 1 },
      pipeline: { inputs, outputs },
    }),
  );
  const child = new Deno.Command(fluentBit, {
    args: ["-c", config],
    stdout: "piped",
    stderr: "piped",
  })
    .spawn();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && [...received.values()].some((r) => r.length === 0)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGTERM");
  const log = new TextDecoder().decode((await child.output()).stdout);
  // TCP connections end when Fluent Bit exits; give the readers a moment to finish.
  await new Promise((r) => setTimeout(r, 300));
  closers.forEach((c) => c());
  const vectors = CASES.map((c, i) => {
    const got = received.get(ports[i]!)!;
    if (got.length === 0) throw new Error(`no bytes for case "${c.name}"; log:\n${log}`);
    return { ...c, sent: got.map(hex), text: got.map((b) => new TextDecoder().decode(b)) };
  });
  const warnings = log.split("\n").filter((l) => l.includes("[ warn]") || l.includes("[error]"));
  const out = {
    description: "Bytes Fluent Bit 4.2.8's out_syslog sent for each case (one dummy record, " +
      "fixed time, routed to one syslog output); `sent` holds one hex string per TCP " +
      "connection or UDP datagram, `text` the same decoded as UTF-8 for reading.",
    source: "tools/capture_syslog_vectors.ts run against ../shared/peers/fluent-bit-4.2.8",
    warnings,
    cases: vectors,
  };
  await Deno.writeTextFile(
    `${root}testdata/syslog/fluent-bit-out_syslog-vectors.json`,
    JSON.stringify(out, null, 1) + "\n",
  );
  await Deno.remove(dir, { recursive: true });
  console.log(`${vectors.length} cases captured`);
}

if (import.meta.main) await main();
