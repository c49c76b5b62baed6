/**
 * `deno task bench:nats`: the 1,000,000-line benchmark file through NATS JetStream with a
 * real nats-server started in a private temp dir: agent `tail -> nats` (stream, publish acks,
 * Nats-Msg-Id) and consumer `nats (durable consumer) -> null` run at once; the rate is lines
 * over the seconds from start until the consumer's null output counted every line, with each
 * process's CPU seconds and peak RSS. Then the core NATS publish rate, `tail -> nats` counted
 * by a subscriber, side by side with Fluent Bit 4.2.8's out_nats when the peer is present
 * (Fluent Bit has no JetStream), on a second server with max_payload 8 MB: Fluent Bit
 * publishes each chunk (up to ~2 MB of JSON) as one message, and a server at the default
 * 1 MB closes its connection on the first larger one (Fluent Bit never reads the -ERR).
 */
import { connect } from "@nats-io/transport-node";
import { NatsServer, NO_NATS } from "../src/testing/nats_server.ts";
import { benchInput } from "./lines.ts";
import { freePort, loadAverage, sluiceCommand, startMeasured } from "./measure.ts";
import { deliveredLine, runSide, sideBySide } from "./until_delivered.ts";

const { lines: LINES, out, input } = await benchInput();
const { entry, cmd: sluice } = await sluiceCommand();
const nats = await NatsServer.start();
const core = await NatsServer.start({ maxPayload: 8 * 1024 * 1024 });
if (!nats || !core) {
  console.log(NO_NATS);
  Deno.exit(0);
}

async function serverVersion(): Promise<string> {
  const out = await new Deno.Command("nats-server", { args: ["--version"], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).trim().replace(/^nats-server: /, "");
}

async function outputRecords(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`);
  let sum = 0;
  for (const line of (await res.text()).split("\n")) {
    if (line.startsWith("fluentbit_output_proc_records_total{")) {
      sum += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
  }
  return sum;
}

function tailTo(output: string, tag: string): string {
  return `service:
  flush: 0.2
  log_level: warn
pipeline:
  inputs:
    - name: tail
      path: ${input}
      tag: ${tag}
      read_from_head: true
      refresh_interval: 1
  outputs:
${output}`;
}

async function jetstreamRun(): Promise<void> {
  const metricsPort = freePort();
  const consumer = `${out}/nats_consumer.yaml`;
  const agent = `${out}/nats_agent.yaml`;
  await Deno.writeTextFile(
    consumer,
    `service:
  flush: 0.2
  log_level: warn
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${metricsPort}
pipeline:
  inputs:
    - name: nats
      port: ${nats!.port}
      subject: bench.js
      stream: BENCH
      durable: bench
      batch: 512
  outputs:
    - name: null
      match: "*"
`,
  );
  await Deno.writeTextFile(
    agent,
    tailTo(
      `    - name: nats
      match: "*"
      port: ${nats!.port}
      subject: bench.js
      stream: BENCH
`,
      "bench.js",
    ),
  );
  const started = performance.now();
  const cons = startMeasured([...sluice, "-c", consumer]);
  const ag = startMeasured([...sluice, "-c", agent]);
  let delivered = 0;
  const deadline = started + 900_000;
  while (performance.now() < deadline && delivered < LINES) {
    await new Promise((r) => setTimeout(r, 250));
    delivered = await outputRecords(metricsPort).catch(() => delivered);
  }
  const seconds = (performance.now() - started) / 1000;
  const a = await ag.stop();
  const c = await cons.stop();
  console.log(deliveredLine({ name: "tail -> nats JetStream (agent)", delivered, seconds, m: a }));
  console.log(
    deliveredLine({ name: "nats JetStream -> null (consumer)", delivered, seconds, m: c }),
  );
  if (delivered < LINES) console.log(`!! the consumer counted ${delivered} of ${LINES}`);
}

/** Records published on `subject`, counted by the `{"tag":"` each Fluent Bit record starts with. */
async function countSubject(subject: string): Promise<{ count(): number; close(): Promise<void> }> {
  const nc = await connect({ servers: `127.0.0.1:${core!.port}` });
  const needle = new TextEncoder().encode('{"tag":"');
  let n = 0;
  nc.subscribe(subject, {
    callback: (_e, m) => {
      const d = m.data;
      outer: for (let i = 0; i + needle.length <= d.length; i++) {
        if (d[i] !== 123) continue;
        for (let j = 1; j < needle.length; j++) if (d[i + j] !== needle[j]) continue outer;
        n++;
      }
    },
  });
  await nc.flush();
  return { count: () => n, close: () => nc.close() };
}

try {
  console.log(
    `nats benchmark, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry}), ` +
      `nats-server ${await serverVersion()} -js on 127.0.0.1, load ${loadAverage()}`,
  );
  await jetstreamRun();
  let n = 0;
  await sideBySide(sluice, async (side) => {
    const subject = `bench.core${n++}`;
    const counter = await countSubject(subject);
    try {
      return await runSide(
        side,
        "tail -> nats core",
        `${out}/nats_core_${n}.yaml`,
        tailTo(
          `    - name: nats
      match: "*"
      port: ${core.port}
`,
          subject,
        ),
        { count: () => Promise.resolve(counter.count()), expected: LINES, pollMs: 250 },
      );
    } finally {
      await counter.close();
    }
  });
} finally {
  await nats.stop();
  await core.stop();
}
