/**
 * Delivery through outages: the engine retries with backoff until the receiver is back,
 * honours Retry-After, and the retry counters say what happened.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import {
  appendLines,
  idCounts,
  missingIds,
  startService,
  tailToHttp,
  type TailToHttpOptions,
} from "./_delivery.ts";
import { until } from "../src/testing/until.ts";

const N = 3000;

function config(port: number, options: TailToHttpOptions = {}): string {
  return tailToHttp(port, {
    ...options,
    output: ["retry_limit: no_limits", ...(options.output ?? [])],
  });
}

Deno.test("receiver down for a while, then back: every record delivered once, retries counted", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_retry_" });
  await appendLines(`${dir}/in.log`, 0, N);
  const rx = await HttpReceiver.start();
  await rx.down();
  const svc = await startService(dir, config(rx.port));
  try {
    await until(() => svc.value("fluentbit_output_retries_total") >= 5, "some retries", {
      timeout: 20_000,
    });
    assertEquals(rx.records().length, 0);
    await rx.up();
    assertEquals(await svc.done, 0, svc.lines.join(""));
    const counts = idCounts(rx.records());
    assertEquals(missingIds(counts, N), []);
    assertEquals([...counts.values()].filter((c) => c > 1).length, 0, "no duplicates");
    assert(svc.value("fluentbit_output_retried_records_total") > 0);
    assertEquals(svc.value("fluentbit_output_retries_failed_total"), 0);
    assertEquals(svc.value("fluentbit_output_dropped_records_total"), 0);
    assertEquals(svc.value("fluentbit_output_proc_records_total"), N);
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("503 with Retry-After: the next attempt waits as long as the receiver asked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_retry_after_" });
  await appendLines(`${dir}/in.log`, 0, 10);
  const rx = await HttpReceiver.start({
    mode: { kind: "status", status: 503, retryAfter: "1" },
  });
  const svc = await startService(dir, config(rx.port));
  try {
    await until(() => rx.requests.length >= 1, "the first attempt", { timeout: 20_000 });
    rx.mode = { kind: "ok" };
    await until(() => rx.delivered.length >= 1, "the retry", { timeout: 20_000 });
    // Arrival times, taken by the receiver: how late this test polled does not count.
    const waited = rx.delivered[0]!.receivedAt - rx.requests[0]!.receivedAt;
    // scheduler.base is 50 ms: only Retry-After explains a wait near a second.
    assert(waited >= 800, `retried after ${waited} ms`);
    assertEquals(await svc.done, 0);
    assertEquals(idCounts(rx.records()).size, 10);
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("a stuck output does not hold back another output of the same records", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_two_outputs_" });
  await appendLines(`${dir}/in.log`, 0, N);
  const down = await HttpReceiver.start();
  await down.down();
  const up = await HttpReceiver.start();
  const svc = await startService(
    dir,
    config(up.port, {
      grace: 1,
      after: `    - name: http
      match: "*"
      port: ${down.port}
      format: json_lines
      retry_limit: no_limits
`,
    }),
  );
  try {
    await up.waitForRecords(N);
    assertEquals(missingIds(idCounts(up.records()), N), []);
    assertEquals(down.records().length, 0);
    assertEquals(await svc.stop(), 1, "records left for the dead output are counted as dropped");
    assertEquals(svc.value("fluentbit_output_dropped_records_total", "http.1"), N);
  } finally {
    await svc.stop();
    await up.stop();
  }
});

Deno.test("http output sends 2 requests at once by default (workers), 1 with workers: 1", async () => {
  for (const [extra, expected] of [[[], 2], [["workers: 1"], 1]] as const) {
    const dir = await Deno.makeTempDir({ prefix: "sluice_workers_" });
    await appendLines(`${dir}/in.log`, 0, 60_000); // 6 MB: several requests of at most 2 MB
    const rx = await HttpReceiver.start({ mode: { kind: "stall" } });
    const svc = await startService(
      dir,
      // Room for the whole file in flight: the workers, not the buffer, bound the requests.
      config(rx.port, { grace: 1, output: extra, input: ["mem_buf_limit: 200M"] }),
    );
    try {
      await until(() => rx.held >= expected, "requests held by the receiver", {
        timeout: 20_000,
      });
      await until(() => svc.value("fluentbit_input_records_total") === 60_000, "every line read", {
        timeout: 20_000,
      });
      // Everything is queued for the output. Answering one request frees one worker: its
      // next request shows the output sends what it can, and still only `expected` at once.
      for (let round = 0; round < 2; round++) {
        const sent = rx.requests.length;
        rx.release(1);
        await until(() => rx.requests.length > sent, "the next request", { timeout: 20_000 });
        assertEquals(rx.held, expected, `${expected} requests at once`);
      }
      assert(svc.value("fluentbit_input_ingestion_paused") === 0, "the buffer did not bound it");
      rx.mode = { kind: "ok" };
      assertEquals(await svc.done, 0);
      assertEquals(rx.recordCount(), 60_000);
    } finally {
      await svc.stop();
      await rx.stop();
    }
  }
});
