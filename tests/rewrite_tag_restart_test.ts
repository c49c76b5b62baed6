/**
 * rewrite_tag across an outage and a crash: every line is re-tagged (keep false) so it
 * reaches the output only as an emitted copy. The receiver answers 503 while sluice reads
 * the file, sluice is SIGKILLed, then runs again with the receiver up. Every line must arrive:
 * with `emitter_storage.type filesystem` the copies wait on disk and are replayed (the tail
 * committed its offset once they were safe there); with memory, the tail had not committed
 * (the originals' acks wait for their copies), so it reads the lines again. The memory run's
 * emitter has a 16k buffer limit, so it pauses and resumes all along.
 */
import { assertEquals, assertMatch } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { appendLines, idCounts, missingIds } from "./_delivery.ts";
import { freePort, spawnSluice, waitFor } from "./_helpers.ts";

const LINES = 3000;

function config(dir: string, port: number, http: number, storage: string): string {
  return `service:
  flush: 0.2
  grace: 2
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${http}
  storage.path: ${dir}/store
pipeline:
  inputs:
    - name: tail
      tag: app.log
      path: ${dir}/in.log
      read_from_head: true
      db: ${dir}/tail.db
  filters:
    - name: rewrite_tag
      match: app.*
      rule: $log ^id=\\d+ out.$TAG[1] false
      emitter_storage.type: ${storage}
      emitter_mem_buf_limit: ${storage === "memory" ? "16k" : "10M"}
  outputs:
    - name: http
      match: out.*
      port: ${port}
      format: json_lines
      retry_limit: no_limits
`;
}

async function emitted(http: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${http}/api/v2/metrics/prometheus`)).text();
  const line = text.split("\n").find((l) =>
    l.startsWith('fluentbit_input_records_total{name="emitter_for_rewrite_tag.0"}')
  );
  return Number(line?.split(" ").at(-1) ?? 0);
}

for (const storage of ["filesystem", "memory"]) {
  Deno.test(`rewrite_tag (emitter_storage.type ${storage}): an outage, a SIGKILL, a restart: nothing lost`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "sluice_rt_restart_" });
    await appendLines(`${dir}/in.log`, 0, LINES);
    const rx = await HttpReceiver.start({ mode: { kind: "status", status: 503 } });
    const http = freePort();
    await Deno.writeTextFile(`${dir}/sluice.yaml`, config(dir, rx.port, http, storage));
    try {
      const first = spawnSluice(["-c", `${dir}/sluice.yaml`]);
      await waitFor(async () => (await emitted(http)) >= LINES, { what: "every line emitted" });
      await waitFor(() => rx.requests.length > 0, { what: "a refused delivery" });
      first.kill("SIGKILL");
      assertEquals((await first.output()).code, 137);
      assertEquals(rx.recordCount(), 0, "the outage let nothing through");

      rx.mode = { kind: "ok" };
      const second = spawnSluice(["-c", `${dir}/sluice.yaml`]);
      let stderr = "";
      try {
        await waitFor(() => idCounts(rx.records()).size >= LINES, {
          what: "every line delivered",
          timeoutMs: 60_000,
        });
      } finally {
        second.kill("SIGTERM");
        const out = await second.output();
        stderr = new TextDecoder().decode(out.stderr);
        assertEquals(out.code, 0, stderr);
      }
      const counts = idCounts(rx.records());
      assertEquals(missingIds(counts, LINES), [], "lost lines");
      const tags = new Set(rx.records().map((r) => typeof r.log));
      assertEquals([...tags], ["string"]);
      if (storage === "filesystem") assertMatch(stderr, /replaying [1-9]\d* chunks/);
      let duplicates = 0;
      for (const c of counts.values()) duplicates += c - 1;
      console.log(`rewrite_tag ${storage}: ${LINES} lines, 0 lost, ${duplicates} duplicates`);
    } finally {
      await rx.stop();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
