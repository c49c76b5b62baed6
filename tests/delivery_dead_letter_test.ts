/**
 * Dead letters: what an output refuses for good, or gives up on, is kept on disk with the
 * reason and counted; `sluice dlq list` shows it and `sluice dlq replay` sends it again.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { listDeadLetters, readDeadLetter } from "../src/engine/storage/dead_letter.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import { appendLines, idCounts, missingIds, startService, tailToHttp } from "./_delivery.ts";
import { runSluice } from "./_helpers.ts";

const N = 30_000;

function config(port: number, service: readonly string[] = [], output: readonly string[] = []) {
  return tailToHttp(port, {
    grace: 5,
    schedulerCap: 0.1,
    service: ["storage.path: ${DIR}/store", "storage.keep.rejected: on", ...service],
    output: ["workers: 1", ...output],
  });
}

/** The ids in every dead letter under `dir`, and the letters themselves. */
async function deadLetterIds(dir: string) {
  const letters = await listDeadLetters(dir);
  const records: Record<string, unknown>[] = [];
  for (const l of letters) {
    const { records: rs } = await readDeadLetter(l.path);
    for (const r of rs as LogRecord[]) records.push(r.body);
  }
  return { letters, counts: idCounts(records), records: records.length };
}

Deno.test("400 answers: records in the dead-letter store, then the pipeline goes on; replay sends them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_dlq_" });
  await appendLines(`${dir}/in.log`, 0, N); // 3 MB: more than one request of at most 2 MB
  const rx = await HttpReceiver.start({ mode: { kind: "status", status: 400, times: 1 } });
  const svc = await startService(dir, config(rx.port));
  assertEquals(await svc.done, 0, svc.lines.join(""));
  await rx.waitForRecords(1);

  const dlq = await deadLetterIds(`${dir}/store/rejected`);
  assertEquals(dlq.letters.length, 1);
  for (const l of dlq.letters) {
    assertEquals([l.header.output, l.header.status, l.header.tag], ["http.0", 400, "tail.0"]);
    assertStringIncludes(l.header.reason, "refused with 400");
  }
  const delivered = idCounts(rx.records());
  assertEquals(dlq.records + rx.records().length, N, "each record delivered or dead-lettered");
  for (const id of dlq.counts.keys()) assert(!delivered.has(id), `id ${id} went both ways`);
  assertEquals(svc.value("sluice_output_dead_letter_records_total", "http.0"), dlq.records);
  assertEquals(svc.value("fluentbit_output_errors_total", "http.0"), 1);
  assertEquals(svc.value("fluentbit_output_dropped_records_total"), 0);

  const listed = await runSluice(["dlq", "list", "-c", `${dir}/sluice.yaml`]);
  assertEquals(listed.code, 0, listed.stderr);
  const lines = listed.stdout.trim().split("\n");
  assertEquals(lines.length, 1);
  for (const line of lines) assertStringIncludes(line, "http.0  tail.0  400  ");

  const before = rx.records().length;
  const replay = await runSluice(["dlq", "replay", "-c", `${dir}/sluice.yaml`, "--delete"]);
  assertEquals(replay.code, 0, replay.stderr);
  assertEquals(rx.records().length, before + dlq.records);
  assertEquals(missingIds(idCounts(rx.records()), N), []);
  assertEquals(
    (await listDeadLetters(`${dir}/store/rejected`)).length,
    0,
    "replayed files removed",
  );
  await rx.stop();
});

Deno.test("dlq replay keeps a file whose records are refused again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_dlq_again_" });
  await appendLines(`${dir}/in.log`, 0, 50);
  const rx = await HttpReceiver.start({ mode: { kind: "status", status: 422 } });
  const svc = await startService(dir, config(rx.port));
  assertEquals(await svc.done, 0, svc.lines.join(""));
  const letters = await listDeadLetters(`${dir}/store/rejected`);
  assert(letters.length >= 1);
  const replay = await runSluice(["dlq", "replay", "-c", `${dir}/sluice.yaml`, "--delete"]);
  assertEquals(replay.code, 1);
  assertStringIncludes(replay.stderr, "failed again");
  assertEquals((await listDeadLetters(`${dir}/store/rejected`)).length, letters.length);
  await rx.stop();
});

Deno.test("exhausted retries are dead-lettered with the reason; a full store counts drops", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_dlq_retries_" });
  await appendLines(`${dir}/in.log`, 0, 300);
  const rx = await HttpReceiver.start({ mode: { kind: "status", status: 503 } });
  const svc = await startService(dir, config(rx.port, [], ["retry_limit: 1"]));
  assertEquals(await svc.done, 0, svc.lines.join(""));
  const dlq = await deadLetterIds(`${dir}/store/rejected`);
  assertEquals(missingIds(dlq.counts, 300), []);
  for (const l of dlq.letters) {
    assertEquals(l.header.status, 503);
    assertStringIncludes(l.header.reason, "retries exhausted after 2 attempts");
  }
  assert(svc.value("fluentbit_output_retries_failed_total", "http.0") >= 1);

  const full = await Deno.makeTempDir({ prefix: "sluice_dlq_full_" });
  await appendLines(`${full}/in.log`, 0, 300);
  const svc2 = await startService(
    full,
    config(rx.port, ["storage.rejected.limit: 100"], ["retry_limit: no_retries"]),
  );
  assertEquals(await svc2.done, 1, "records were dropped");
  assertEquals(svc2.value("sluice_output_dead_letter_failed_records_total", "http.0"), 300);
  assertEquals(svc2.value("fluentbit_output_dropped_records_total", "http.0"), 300);
  assertEquals((await listDeadLetters(`${full}/store/rejected`)).length, 0);
  await rx.stop();
});
