/**
 * Filesystem storage end to end: what is not delivered at shutdown stays on disk and is
 * replayed at the next start; unreadable chunk files are moved aside and counted, never
 * stopping the start; `storage.total_limit_size` drops are counted and dead-lettered;
 * `/api/v1/storage` reports it all.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { readChunkFile } from "../src/engine/storage/chunk_reader.ts";
import { listDeadLetters } from "../src/engine/storage/dead_letter.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import { appendLines, idCounts, missingIds, startService, tailToHttp } from "./_delivery.ts";
import { until } from "../src/testing/until.ts";
import { freePort } from "./_helpers.ts";

const N = 40_000; // 4 MB: tail reads 1 MB blocks, one chunk file each

function config(port: number, options: { httpPort?: number; output?: readonly string[] } = {}) {
  const server = options.httpPort === undefined ? [] : [
    "http_server: on",
    "http_listen: 127.0.0.1",
    `http_port: ${options.httpPort}`,
    "storage.metrics: on",
  ];
  return tailToHttp(port, {
    grace: 1,
    schedulerCap: 0.1,
    service: [
      "storage.path: ${DIR}/store",
      "storage.checksum: on",
      "storage.keep.rejected: on",
      ...server,
    ],
    input: ["db: ${DIR}/tail.db", "storage.type: filesystem"],
    output: ["retry_limit: no_limits", ...(options.output ?? [])],
  });
}

async function chunkFiles(dir: string): Promise<string[]> {
  try {
    return (await Array.fromAsync(Deno.readDir(dir))).map((e) => `${dir}/${e.name}`).sort();
  } catch {
    return [];
  }
}

Deno.test("chunks left at shutdown are replayed at the next start; corrupt files are moved aside", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_storage_" });
  await appendLines(`${dir}/in.log`, 0, N);
  const rx = await HttpReceiver.start();
  await rx.down();
  const httpPort = freePort();
  const first = await startService(dir, config(rx.port, { httpPort }));
  await until(() => first.value("fluentbit_output_retries_total") > 0, "retries", {
    timeout: 20_000,
  });
  const report = await (await fetch(`http://127.0.0.1:${httpPort}/api/v1/storage`)).json();
  assert(report.storage_layer.chunks.fs_chunks > 0, JSON.stringify(report));
  assert(report.input_chunks["tail.0"].chunks.total > 0, JSON.stringify(report));
  assertEquals(await first.done, 0, "nothing is lost: it stays on disk");
  assert(first.lines.length === 0 || !first.lines.join("").includes("dropped"));

  const files = await chunkFiles(`${dir}/store/tail.0`);
  assert(files.length >= 3, `${files.length} chunk files`);
  const lost = new Set<number>();
  for (const f of [files[0]!, files[2]!]) {
    for (const r of (await readChunkFile(f)).records as LogRecord[]) {
      lost.add(Number(/^id=(\d+)/.exec(String(r.body.log))![1]));
    }
  }
  const bytes = await Deno.readFile(files[0]!);
  bytes[bytes.length - 10]! ^= 0xff; // a flipped bit: the checksum catches it when loading
  await Deno.writeFile(files[0]!, bytes);
  await Deno.writeFile(files[2]!, new Uint8Array([1, 2, 3]), { append: true }); // wrong size

  await rx.up();
  const second = await startService(dir, config(rx.port));
  assertEquals(await second.done, 0, second.lines.join(""));
  const counts = idCounts(rx.records());
  assertEquals(missingIds(counts, N).filter((id) => !lost.has(id)), [], "every other record");
  for (const id of lost) assert(!counts.has(id), `id ${id} came from a corrupt file`);
  assertEquals(second.value("sluice_storage_corrupt_chunks_total"), 2);
  assertEquals((await chunkFiles(`${dir}/store/corrupt`)).length, 2);
  assertEquals((await chunkFiles(`${dir}/store/tail.0`)).length, 0, "delivered files are deleted");
  assertEquals([...counts.values()].filter((c) => c > 1).length, 0, "the tail db was committed");
  await rx.stop();
});

Deno.test("storage.total_limit_size drops an output's oldest chunks, counted and dead-lettered", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_storage_limit_" });
  await appendLines(`${dir}/in.log`, 0, N);
  const rx = await HttpReceiver.start();
  await rx.down();
  const svc = await startService(
    dir,
    config(rx.port, { output: ["storage.total_limit_size: 1500k"] }),
  );
  assertEquals(await svc.done, 1, "records were dropped");
  const dropped = svc.value("sluice_output_storage_limit_dropped_records_total", "http.0");
  assert(dropped > 0 && dropped < N, `${dropped} dropped`);
  assertEquals(svc.value("fluentbit_output_dropped_records_total", "http.0"), dropped);
  const letters = await listDeadLetters(`${dir}/store/rejected`);
  assertEquals(letters.reduce((n, l) => n + l.header.records, 0), dropped);
  for (const l of letters) assertEquals(l.header.reason, "storage limit");

  await rx.up();
  const again = await startService(dir, config(rx.port));
  assertEquals(await again.done, 0);
  assertEquals(rx.records().length, N - dropped, "the rest was kept on disk and delivered");
  await rx.stop();
});
