/**
 * The nats output from the CLI against a real nats-server: Fluent Bit's out_nats payload
 * (side by side with the Fluent Bit 4.2.8 peer when present), a server that is down when
 * sluice starts (retried, nothing lost), and partitioning over SUBJECT.<n> by trace ID with a
 * consumer of some partitions.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { NatsServer, NO_NATS } from "../src/testing/nats_server.ts";
import { until } from "../src/testing/until.ts";
import { appendLines } from "./_delivery.ts";
import { runSluice, spawnSluice } from "./_helpers.ts";
import { collectSubject, streamIds, streamRecords } from "./_nats.ts";

const FB_PAYLOAD =
  '[[1700000000.5,{"tag":"app","m":"x","n":2}],[1700000000.5,{"tag":"app","m":"x","n":2}]]';

function dummyToNats(port: number): string {
  return `
service:
  flush: 0.2
pipeline:
  inputs:
    - name: dummy
      tag: app
      dummy: '{"m":"x","n":2}'
      copies: 2
      samples: 1
      fixed_timestamp: on
      start_time_sec: 1700000000
      start_time_nsec: 500000000
  outputs:
    - name: nats
      match: "*"
      port: ${port}
`;
}

async function withNats(fn: (nats: NatsServer) => Promise<void>): Promise<void> {
  const nats = await NatsServer.start();
  if (!nats) {
    console.log(NO_NATS);
    return;
  }
  try {
    await fn(nats);
  } finally {
    await nats.stop();
  }
}

Deno.test({
  name: "nats output: core NATS subject = tag, payload as Fluent Bit's out_nats (and the peer's)",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withNats(async (nats) => {
      const dir = await Deno.makeTempDir({ prefix: "sluice_nats_out_" });
      await Deno.writeTextFile(`${dir}/sluice.yaml`, dummyToNats(nats.port));
      const sub = await collectSubject(nats.port, "app");
      const run = await runSluice(["-c", `${dir}/sluice.yaml`], { timeoutMs: 30_000 });
      assertEquals(run.code, 0, run.stderr);
      await until(() => sub.payloads.length >= 1, "sluice's message");
      assertEquals(sub.payloads, [FB_PAYLOAD]);
      const fb = await fluentBitPath();
      if (!fb) {
        console.log(NO_PEER);
        await sub.close();
        return;
      }
      const peer = spawnFluentBit(fb, ["-c", `${dir}/sluice.yaml`]);
      try {
        await until(() => sub.payloads.length >= 2, "Fluent Bit's message", { timeout: 15_000 });
      } finally {
        await peer.stop();
        await sub.close();
      }
      assertEquals(sub.payloads[1], sub.payloads[0], "Fluent Bit publishes the same payload");
    }),
});

Deno.test({
  name: "nats output: server down when sluice starts: chunks are retried, nothing lost",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withNats(async (nats) => {
      await nats.down();
      const dir = await Deno.makeTempDir({ prefix: "sluice_nats_down_" });
      await appendLines(`${dir}/in.log`, 0, 3000);
      await Deno.writeTextFile(
        `${dir}/sluice.yaml`,
        `
service:
  flush: 0.1
  grace: 3
  scheduler.base: 0.2
  scheduler.cap: 0.5
pipeline:
  inputs:
    - name: tail
      path: ${dir}/in.log
      read_from_head: true
  outputs:
    - name: nats
      match: "*"
      port: ${nats.port}
      subject: logs.down
      stream: DOWN
      retry_limit: no_limits
`,
      );
      const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
      const stderr: string[] = [];
      const pump = (async () => {
        for await (const t of child.stderr.pipeThrough(new TextDecoderStream())) stderr.push(t);
      })();
      try {
        await until(() => /no connection to NATS/.test(stderr.join("")), "a failed publish", {
          timeout: 20_000,
        });
        await nats.up();
        let ids = new Map<number, number>();
        await until(
          async () => (ids = await streamIds(nats.port, "DOWN")).size >= 3000,
          "3000 lines in the stream",
          {
            timeout: 30_000,
            interval: 200,
          },
        );
        assertEquals([...ids.values()].filter((c) => c > 1).length, 0, "stored twice");
      } finally {
        child.kill("SIGTERM");
        await child.status;
        await pump.catch(() => {});
      }
    }),
});

/** Which of `n` partitions the records of each trace went to. */
function partitionsByTrace(
  messages: { subject: string; bodies: Record<string, unknown>[] }[],
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of messages) {
    for (const b of m.bodies) {
      const t = String(b.trace_id);
      if (!out.has(t)) out.set(t, new Set());
      out.get(t)!.add(m.subject);
    }
  }
  return out;
}

Deno.test({
  name:
    "nats output partitions: each trace on one SUBJECT.<n>; a consumer of partitions 0,1 gets exactly theirs",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () =>
    withNats(async (nats) => {
      const dir = await Deno.makeTempDir({ prefix: "sluice_nats_parts_" });
      const TRACES = 200;
      let text = "";
      for (let i = 0; i < TRACES * 5; i++) {
        const t = "ab" + (i % TRACES).toString(16).padStart(30, "0");
        text += JSON.stringify({ trace_id: t, n: i }) + "\n";
      }
      await Deno.writeTextFile(`${dir}/in.log`, text);
      await Deno.writeTextFile(
        `${dir}/agent.yaml`,
        `
service:
  flush: 0.1
pipeline:
  inputs:
    - name: tail
      path: ${dir}/in.log
      read_from_head: true
      exit_on_eof: true
      parser: json
  outputs:
    - name: nats
      match: "*"
      port: ${nats.port}
      subject: traces
      partitions: 4
      stream: PARTS
`,
      );
      const run = await runSluice(["-c", `${dir}/agent.yaml`], { timeoutMs: 30_000 });
      assertEquals(run.code, 0, run.stderr);
      const messages = await streamRecords(nats.port, "PARTS");
      const byTrace = partitionsByTrace(messages);
      const total = messages.reduce((n, m) => n + m.bodies.length, 0);
      assertEquals(total, TRACES * 5, `${messages.length} messages`);
      assertEquals(byTrace.size, TRACES);
      for (const [t, subjects] of byTrace) assertEquals(subjects.size, 1, `trace ${t} split`);
      const used = new Set(messages.map((m) => m.subject));
      assertEquals(used.size, 4, `subjects used: ${[...used]}`);
      const mine = [...byTrace].filter(([, s]) => /\.(0|1)$/.test([...s][0]!)).map(([t]) => t);

      const rx = await HttpReceiver.start();
      await Deno.writeTextFile(
        `${dir}/aggregator.yaml`,
        `
service:
  flush: 0.1
  grace: 2
pipeline:
  inputs:
    - name: nats
      port: ${nats.port}
      subject: traces
      partitions: 0,1
      stream: PARTS
  outputs:
    - name: http
      match: "*"
      port: ${rx.port}
      format: json_lines
`,
      );
      const agg = spawnSluice(["-c", `${dir}/aggregator.yaml`]);
      try {
        await until(() => rx.recordCount() >= mine.length * 5, "partitions 0 and 1", {
          timeout: 30_000,
        });
        const got = new Set(rx.records().map((r) => String(r.trace_id)));
        assertEquals([...got].sort(), mine.sort());
        assert(rx.recordCount() === mine.length * 5, `${rx.recordCount()} records`);
      } finally {
        agg.kill("SIGTERM");
        await agg.output();
        await rx.stop();
      }
    }),
});
