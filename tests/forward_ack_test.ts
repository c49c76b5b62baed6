/**
 * The forward input's acks mean "safe", run by the CLI: with `storage.type filesystem` a
 * sender is acked once the chunk is on disk even while the output is down; in memory it is
 * acked only after the output delivered (the receiver holds the request: no ack meanwhile).
 */
import { EventTime } from "../src/event/event_time.ts";
import { DEFAULT_ENCODING, encodeForwardLogs } from "../src/forward/mod.ts";
import { assertEquals } from "../src/testing/assert.ts";
import { within } from "../src/testing/until.ts";
import { ForwardConnection } from "../plugins/outputs/forward/connection.ts";
import { freePort, tempDirWith, waitFor } from "./_helpers.ts";
import { runSluice, type SluiceChild } from "./_forward.ts";

const record = { time: new EventTime(1700000000, 1), metadata: {}, body: { msg: "keep me" } };
const message = () => encodeForwardLogs("app", [record], { ...DEFAULT_ENCODING, requireAck: true });

function start(config: string): SluiceChild {
  return runSluice(config, { stdout: false });
}

async function connect(port: number): Promise<ForwardConnection> {
  const conn = await waitFor(() => Deno.connect({ hostname: "127.0.0.1", port }), {
    what: "sluice listening",
  });
  return new ForwardConnection(conn, { timeoutMs: 20_000 });
}

async function chunkFiles(dir: string): Promise<number> {
  let n = 0;
  for await (const e of Deno.readDir(dir)) {
    if (e.isDirectory) n += await chunkFiles(`${dir}/${e.name}`);
    else if (e.name.endsWith(".flb")) n++;
  }
  return n;
}

Deno.test("forward input with filesystem storage acks once the chunk is on disk, output down", async () => {
  const port = freePort();
  const dead = freePort();
  const dir = await tempDirWith({});
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `
service:
  storage.path: ${dir}/storage
pipeline:
  inputs:
    - { name: forward, listen: 127.0.0.1, port: ${port}, storage.type: filesystem }
  outputs:
    - { name: http, match: "*", host: 127.0.0.1, port: ${dead}, retry_limit: no_limits }
`,
  );
  const s = start(`${dir}/sluice.yaml`);
  try {
    const c = await connect(port);
    await within(c.send(message()), "the ack while the output is down", { timeout: 20_000 });
    assertEquals(await chunkFiles(`${dir}/storage`) >= 1, true, "the acked chunk is on disk");
    c.close();
  } finally {
    await s.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("forward input in memory acks only after the output delivered", async () => {
  const port = freePort();
  let arrived!: () => void;
  const requestArrived = new Promise<void>((r) => (arrived = r));
  let answer!: () => void;
  const answered = new Promise<void>((r) => (answer = r));
  const sink = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.arrayBuffer();
    arrived();
    await answered;
    return new Response(null, { status: 200 });
  });
  const dir = await tempDirWith({
    "sluice.yaml": `
pipeline:
  inputs:
    - { name: forward, listen: 127.0.0.1, port: ${port} }
  outputs:
    - { name: http, match: "*", host: 127.0.0.1, port: ${sink.addr.port} }
`,
  });
  const s = start(`${dir}/sluice.yaml`);
  try {
    const c = await connect(port);
    let acked = false;
    const sending = c.send(message()).then(() => (acked = true));
    await within(requestArrived, "the output's request at the receiver", { timeout: 20_000 });
    assertEquals(acked, false, "no ack while the output has not delivered");
    answer();
    await within(sending, "the ack after delivery", { timeout: 20_000 });
    assertEquals(acked, true);
    c.close();
  } finally {
    answer();
    await s.stop();
    await sink.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
