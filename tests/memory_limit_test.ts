/**
 * `sluice.memory_limit` from the command line: a sluice process with a low limit takes a
 * flood of JSON over its http input while its http output's receiver refuses (503), so the
 * records pile up in memory. Over the limit the input answers 503 with Retry-After, one
 * warning is logged and the episode counted; once the receiver takes records again, memory
 * falls, the input resumes, and every record the client got a 2xx for arrives exactly once.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { freePort, waitFor } from "./_helpers.ts";
import { exactlyOnce } from "./_net.ts";
import { startSluice } from "./_otlp_helpers.ts";

const REQUESTS = 120;
const PER_REQUEST = 1000;
const PAD = "x".repeat(480);

/** A receiver that answers 503 until opened, then 200, counting the ids it took. */
function startReceiver() {
  const ids = new Map<number, number>();
  let open = false;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const text = await req.text();
    if (!open) return new Response("busy", { status: 503 });
    for (const line of text.split("\n")) {
      if (line === "") continue;
      const id = (JSON.parse(line) as { id: number }).id;
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    return new Response(null, { status: 200 });
  });
  return {
    port: server.addr.port,
    ids,
    open: () => void (open = true),
    close: () => server.shutdown(),
  };
}

function body(request: number): string {
  const records = [];
  for (let i = 0; i < PER_REQUEST; i++) records.push({ id: request * PER_REQUEST + i, pad: PAD });
  return JSON.stringify(records);
}

Deno.test("sluice.memory_limit pauses inputs (503 + Retry-After) until memory falls; nothing is lost", async () => {
  const receiver = startReceiver();
  const input = freePort();
  const monitor = freePort();
  const sluice = await startSluice(`
service:
  flush: 0.2
  log_level: info
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${monitor}
  scheduler.base: 0.05
  scheduler.cap: 0.3
  sluice.memory_limit: 40M
  sluice.memory_limit.resume: 80%
  sluice.memory_limit.check_interval: 0.2
pipeline:
  inputs:
    - name: http
      listen: 127.0.0.1
      port: ${input}
      mem_buf_limit: 1G
  outputs:
    - name: http
      match: '*'
      host: 127.0.0.1
      port: ${receiver.port}
      uri: /ingest
      format: json_lines
      retry_limit: no_limits
`);
  try {
    await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${input}/`);
      await res.body?.cancel();
      return true;
    }, { what: "the http input listening" });
    let refused = 0;
    let retryAfter: string | null = null;
    const post = async (n: number) => {
      const payload = body(n);
      for (;;) {
        const res = await fetch(`http://127.0.0.1:${input}/app.log`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: payload,
        });
        await res.body?.cancel();
        if (res.status < 300) return;
        assertEquals(res.status, 503, `request ${n}`);
        refused++;
        retryAfter ??= res.headers.get("retry-after");
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // Four clients flood the input; the receiver opens once the input has refused some.
    let next = 0;
    const clients = Array.from({ length: 4 }, async () => {
      while (next < REQUESTS) await post(next++);
    });
    const all = Promise.all(clients);
    await waitFor(async () => {
      if (refused > 0) return true;
      const done = await Promise.race([all.then(() => true), Promise.resolve(false)]);
      if (done) throw new Error("every request was accepted: memory never went over the limit");
      return false;
    }, { timeoutMs: 60_000, what: "a 503 from the input" });
    const metrics = await (await fetch(`http://127.0.0.1:${monitor}/api/v2/metrics/prometheus`))
      .text();
    assertStringIncludes(metrics, "sluice_memory_limit_paused 1");
    receiver.open();
    await all;
    await waitFor(() => receiver.ids.size === REQUESTS * PER_REQUEST, {
      timeoutMs: 60_000,
      what: "every record at the receiver",
    });
    assertEquals(exactlyOnce(receiver.ids, REQUESTS * PER_REQUEST), "ok");
    assert(retryAfter !== null && Number(retryAfter) > 0, `Retry-After: ${retryAfter}`);
    await waitFor(async () => {
      const text = await (await fetch(`http://127.0.0.1:${monitor}/api/v2/metrics/prometheus`))
        .text();
      return text.includes("sluice_memory_limit_paused 0");
    }, { what: "the pause to end" });
    const after = await (await fetch(`http://127.0.0.1:${monitor}/api/v2/metrics/prometheus`))
      .text();
    const episodes = Number(/sluice_memory_limit_pauses_total (\d+)/.exec(after)?.[1] ?? 0);
    assert(episodes >= 1, `pauses counted: ${episodes}`);
  } finally {
    const code = await sluice.stop();
    await receiver.close();
    const log = sluice.stderr.join("");
    const warned = log.split("\n").filter((l) => l.includes("over sluice.memory_limit")).length;
    const resumed = log.split("\n").filter((l) => l.includes("inputs resumed")).length;
    assert(warned >= 1, `no memory limit warning in:\n${log.slice(-2000)}`);
    assert(resumed >= warned - 1, `resumes ${resumed} for ${warned} pauses`);
    assertEquals(code, 0, log.slice(-2000));
  }
});
