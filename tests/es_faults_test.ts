/**
 * Faults of the es output, with a YAML config run in-process (the CLI's own service) so the
 * test can read the metrics: bulk answers with failed and refused items, and Elasticsearch
 * down for 30 s. Every record ends delivered exactly once or dead-lettered with the reason.
 */
import { listDeadLetters, readDeadLetter } from "../src/engine/storage/dead_letter.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { EsReceiver } from "../src/testing/es_receiver.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { until } from "../src/testing/until.ts";
import { idCounts, missingIds, startService } from "./_delivery.ts";
import { esPipeline } from "./_es.ts";

/** Lines `{"log":"id=<i> ...","n":<i>}`; every tenth one (i % 10 == 3) has `"n":"bad"`. */
async function writeLines(path: string, n: number): Promise<void> {
  let text = "";
  for (let i = 0; i < n; i++) {
    const value = i % 10 === 3 ? '"bad"' : String(i);
    text += `{"log":"id=${i} ${"x".repeat(60)}","n":${value}}\n`;
  }
  await Deno.writeTextFile(path, text);
}

function config(port: number, extra: { service?: string[]; output?: string[] } = {}): string {
  return esPipeline({
    port,
    service: ["storage.path: ${DIR}/store", "storage.keep.rejected: on", ...(extra.service ?? [])],
    input: [
      "name: tail",
      "path: ${DIR}/in.log",
      "read_from_head: true",
      "exit_on_eof: true",
      "parser: j",
      "buffer_chunk_size: 16k",
      ...(extra.service?.some((s) => s.startsWith("storage.type"))
        ? ["storage.type: filesystem"]
        : []),
    ],
    output: ["suppress_type_name: on", "workers: 1", ...(extra.output ?? [])],
  }) + "parsers:\n  - name: j\n    format: json\n";
}

Deno.test("bulk items: only the 429 ones retried, mapping errors dead-lettered with the reason", async () => {
  const N = 3000;
  const dir = await Deno.makeTempDir({ prefix: "sluice_es_partial_" });
  await writeLines(`${dir}/in.log`, N);
  const es = await EsReceiver.start({ mappings: { n: "long" } });
  // Every seventh document is answered 429 twice, then accepted.
  const refusals = new Map<string, number>();
  es.busy = (doc) => {
    const id = String(doc.log);
    if (Number(doc.n) % 7 !== 0) return false;
    const k = refusals.get(id) ?? 0;
    refusals.set(id, k + 1);
    return k < 2;
  };
  const svc = await startService(dir, config(es.port, { output: ["retry_limit: 5"] }));
  try {
    assertEquals(await svc.done, 0, svc.lines.join(""));
  } finally {
    await es.stop();
  }
  const bad = Array.from({ length: N }, (_, i) => i).filter((i) => i % 10 === 3);
  const delivered = idCounts(es.allDocs());
  assertEquals(missingIds(delivered, N), bad, "all but the refused delivered");
  assertEquals(
    [...delivered].filter(([, c]) => c !== 1).slice(0, 5),
    [],
    `each exactly once ${svc.lines.slice(0, 8).join("")}`,
  );

  const letters = await listDeadLetters(`${dir}/store/rejected`);
  const dead: Record<string, unknown>[] = [];
  for (const l of letters) {
    assertEquals([l.header.output, l.header.status], ["es.0", 400]);
    assertStringIncludes(l.header.reason, "document_parsing_exception: [1:");
    assertStringIncludes(l.header.reason, "failed to parse field [n] of type [long]");
    for (const r of (await readDeadLetter(l.path)).records as LogRecord[]) dead.push(r.body);
  }
  assertEquals([...idCounts(dead).keys()].sort((a, b) => a - b), bad);
  assertEquals(svc.value("sluice_output_dead_letter_records_total", "es.0"), bad.length);
  assertEquals(svc.value("fluentbit_output_dropped_records_total", "es.0"), 0);
  assertEquals(svc.value("fluentbit_output_proc_records_total", "es.0"), N - bad.length);
  // Each busy document was sent three times: two retries each, nothing else retried.
  const busy = [...refusals.values()].filter((k) => k >= 3).length;
  assert(busy > 0);
  assertEquals(svc.value("fluentbit_output_retried_records_total", "es.0"), 2 * busy);
});

Deno.test("Elasticsearch down for 30 s, then back: buffered on disk and delivered, nothing lost", async () => {
  const N = 5000;
  const dir = await Deno.makeTempDir({ prefix: "sluice_es_down_" });
  let text = "";
  for (let i = 0; i < N; i++) text += `{"log":"id=${i} ${"y".repeat(80)}","n":${i}}\n`;
  await Deno.writeTextFile(`${dir}/in.log`, text);
  const es = await EsReceiver.start();
  await es.down();
  const svc = await startService(
    dir,
    config(es.port, {
      service: ["storage.type: filesystem"],
      output: ["retry_limit: no_limits"],
    }).replace("exit_on_eof: true", "exit_on_eof: false"),
  );
  try {
    // Wait out the outage while sluice retries against a closed port.
    await until(() => svc.value("fluentbit_output_retries_total", "es.0") >= 3, "retries", {
      timeout: 20_000,
    });
    await new Promise((r) => setTimeout(r, 30_000));
    assertEquals(es.allDocs().length, 0);
    await es.up();
    await until(() => es.allDocs().length >= N, "every record after the outage", {
      timeout: 60_000,
    });
  } finally {
    assertEquals(await svc.stop(), 0, svc.lines.join(""));
    await es.stop();
  }
  const delivered = idCounts(es.allDocs());
  assertEquals(missingIds(delivered, N), []);
  assertEquals(svc.value("fluentbit_output_dropped_records_total", "es.0"), 0);
  assertEquals((await listDeadLetters(`${dir}/store/rejected`)).length, 0);
});

Deno.test("the same bulk answer to Fluent Bit 4.2.8: the refused documents are lost without a count", async () => {
  const fb = await fluentBitPath();
  if (!fb) {
    console.log(NO_PEER);
    return;
  }
  const N = 200;
  const dir = await Deno.makeTempDir({ prefix: "sluice_es_fb_partial_" });
  await writeLines(`${dir}/in.log`, N);
  const es = await EsReceiver.start({ mappings: { n: "long" } });
  const yaml = config(es.port).replaceAll("${DIR}", dir).replace(/ {2}storage\.\S+: .*\n/g, "");
  await Deno.writeTextFile(`${dir}/fluent-bit.yaml`, yaml);
  const peer = spawnFluentBit(fb, ["-c", `${dir}/fluent-bit.yaml`]);
  try {
    await until(() => es.allDocs().length >= N - N / 10, "Fluent Bit's documents", {
      timeout: 20_000,
    });
  } finally {
    await peer.stop();
  }
  // Every request had a 201 item, so Fluent Bit took each as delivered: no retry, no error.
  const sent = es.requests.length;
  assertEquals(missingIds(idCounts(es.allDocs()), N).length, N / 10);
  assertEquals(sent, new Set(es.requests.map((r) => r.body)).size, "no request sent twice");
  await es.stop();
});
