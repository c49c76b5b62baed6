/**
 * JetStream faults, from the CLI with YAML configs and a real nats-server: an agent tails a
 * growing file (tail db, filesystem storage) into a JetStream stream; a consumer sluice reads
 * the stream with a durable consumer into an HTTP receiver.
 *
 * 1. Mid-stream the nats-server is restarted and the consumer is SIGKILLed twice (each time
 *    started again). Every line must arrive (0 missing); the stream must hold every line
 *    once (the agent's retries after the restart carry the same content Nats-Msg-Id and the
 *    stream drops them); duplicates at the receiver (messages in flight at a kill, delivered
 *    again) are counted.
 * 2. The agent is SIGKILLed too. Lines it had published but not yet committed are read again
 *    with new times, so content ids differ; with `msg_id_key` (a parser filter lifts each
 *    line's own id) each record is its own message keyed by that id, and the stream still
 *    holds every line once.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { NatsServer, NO_NATS } from "../src/testing/nats_server.ts";
import { until } from "../src/testing/until.ts";
import { appendLines, idCounts, missingIds } from "./_delivery.ts";
import { spawnSluice } from "./_helpers.ts";
import { streamIds } from "./_nats.ts";

const LINES = 16_000;
const BATCH = 200;

function agent(dir: string, natsPort: number, idKey: boolean): string {
  return `
service:
  flush: 0.1
  grace: 3
  log_level: info
  scheduler.base: 0.1
  scheduler.cap: 0.5
  storage.path: ${dir}/agent_store
parsers:
  - name: numbered
    format: regex
    regex: '^id=(?<id>\\d+) '
pipeline:
  inputs:
    - name: tail
      path: ${dir}/in.log
      read_from_head: true
      db: ${dir}/tail.db
      refresh_interval: 1
      storage.type: filesystem
${
    idKey
      ? `  filters:
    - name: parser
      match: "*"
      key_name: log
      parser: numbered
      reserve_data: on
      preserve_key: on
`
      : ""
  }  outputs:
    - name: nats
      match: "*"
      port: ${natsPort}
      subject: logs.app
      stream: LOGS
      retry_limit: no_limits
${idKey ? "      msg_id_key: id\n" : ""}`;
}

function consumer(natsPort: number, httpPort: number): string {
  return `
service:
  flush: 0.1
  grace: 3
  log_level: info
  scheduler.base: 0.1
  scheduler.cap: 0.5
pipeline:
  inputs:
    - name: nats
      port: ${natsPort}
      subject: logs.app
      stream: LOGS
      durable: aggregator
      ack_wait: 2s
  outputs:
    - name: http
      match: "*"
      port: ${httpPort}
      format: json_lines
      retry_limit: no_limits
`;
}

async function kill(child: Deno.ChildProcess): Promise<string> {
  child.kill("SIGKILL");
  const out = await child.output();
  return new TextDecoder().decode(out.stderr);
}

async function scenario(name: string, options: { killAgent: boolean }): Promise<void> {
  const nats = await NatsServer.start();
  if (!nats) {
    console.log(NO_NATS);
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "sluice_nats_faults_" });
  const rx = await HttpReceiver.start({ mode: { kind: "delay", ms: 5 } });
  await Deno.writeTextFile(`${dir}/agent.yaml`, agent(dir, nats.port, options.killAgent));
  await Deno.writeTextFile(`${dir}/consumer.yaml`, consumer(nats.port, rx.port));
  await Deno.writeTextFile(`${dir}/in.log`, "");
  let agentProc = spawnSluice(["-c", `${dir}/agent.yaml`]);
  let cons = spawnSluice(["-c", `${dir}/consumer.yaml`]);
  let written = 0;
  const writer = (async () => {
    while (written < LINES) {
      await appendLines(`${dir}/in.log`, written, written + BATCH);
      written += BATCH;
      await new Promise((r) => setTimeout(r, 60));
    }
  })();
  try {
    const arrived = () => idCounts(rx.records()).size;
    await until(() => arrived() > LINES * 0.2, "a fifth of the lines", { timeout: 30_000 });
    await nats.down("SIGTERM");
    await new Promise((r) => setTimeout(r, 1000)); // the agent's publishes fail meanwhile
    await nats.up();
    if (options.killAgent) {
      await until(() => arrived() > LINES * 0.3, "30% of the lines", { timeout: 30_000 });
      await kill(agentProc);
      agentProc = spawnSluice(["-c", `${dir}/agent.yaml`]);
    }
    for (const share of [0.45, 0.7]) {
      await until(() => arrived() > LINES * share, `${share * 100}% of the lines`, {
        timeout: 30_000,
      });
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      await kill(cons);
      cons = spawnSluice(["-c", `${dir}/consumer.yaml`]);
    }
    await writer;
    await until(() => arrived() >= LINES, `all ${LINES} lines at the receiver`, {
      timeout: 90_000,
      interval: 200,
    });
    const counts = idCounts(rx.records());
    assertEquals(missingIds(counts, LINES), [], "lines never delivered");
    const dup = [...counts.values()].reduce((n, c) => n + c - 1, 0);
    const stored = await streamIds(nats.port, "LOGS");
    const storedTwice = [...stored.values()].filter((c) => c > 1).length;
    console.log(
      `${name}: ${LINES} lines, 0 missing, ${dup} duplicates at the receiver ` +
        `(redelivered after the consumer kills), ${stored.size} distinct in the stream, ` +
        `${storedTwice} stored twice`,
    );
    assertEquals(missingIds(stored, LINES), [], "lines missing from the stream");
    assertEquals(storedTwice, 0, "lines stored twice: a retry got a new Nats-Msg-Id");
  } catch (e) {
    console.log("consumer:", await kill(cons).catch(() => ""));
    console.log("agent:", await kill(agentProc).catch(() => ""));
    console.log("nats:", nats.port, nats.log.slice(-1500), "rx", rx.port, rx.recordCount());
    throw e;
  } finally {
    await kill(cons).catch(() => {});
    await kill(agentProc).catch(() => {});
    await rx.stop();
    await nats.stop();
  }
}

Deno.test({
  name:
    "JetStream: nats-server restarted mid-stream, the consumer SIGKILLed twice: 0 missing, stored once",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => scenario("server restart + 2 consumer kills", { killAgent: false }),
});

Deno.test({
  name:
    "JetStream: the agent SIGKILLed too, msg_id_key from each line's id: 0 missing, stored once",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => scenario("+ agent kill, msg_id_key", { killAgent: true }),
});
