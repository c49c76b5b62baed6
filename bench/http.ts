/**
 * `deno task bench:http`: `tail -> http` with 1,000,000 lines of ~210 bytes (the file of
 * `bench/run.ts`), to a local receiver answering 200, with memory and with filesystem
 * storage: records/s, CPU seconds and peak RSS of sluice, and a check that every record
 * arrived. Fluent Bit 4.2.8 moves the same file at about 1.5M lines/s with about 1.0 CPU-s.
 */
import { benchInput } from "./lines.ts";
import { freePort, measure, report, sluiceCommand, startSink } from "./measure.ts";

const { lines: LINES, out, input } = await benchInput();

const { entry, cmd: sluice } = await sluiceCommand();

async function count(port: number): Promise<{ records: number; requests: number }> {
  const res = await fetch(`http://127.0.0.1:${port}/`);
  return await res.json();
}

async function run(name: string, storage: "memory" | "filesystem"): Promise<void> {
  const port = freePort();
  const sink = await startSink("http_sink.ts", port);
  const store = await Deno.makeTempDir({ prefix: "sluice_bench_store_" });
  const config = `${out}/http_${storage}.yaml`;
  await Deno.writeTextFile(
    config,
    `
service:
  flush: 0.1
  log_level: warn
  storage.path: ${store}
pipeline:
  inputs:
    - name: tail
      path: ${input}
      read_from_head: true
      exit_on_eof: true
      storage.type: ${storage}
  outputs:
    - name: http
      match: "*"
      port: ${port}
      format: json_lines
`,
  );
  try {
    const m = await measure([...sluice, "-c", config]);
    const { records: got, requests } = await count(port);
    console.log(report(name, LINES, m) + `  [${got} records in ${requests} requests]`);
    if (m.code !== 0) console.log(`!! ${name} exited ${m.code}: ${m.stderr.slice(-500)}`);
    if (got !== LINES) console.log(`!! ${name} delivered ${got} records, expected ${LINES}`);
  } finally {
    sink.kill("SIGTERM");
    await sink.status;
    await sink.stdout.cancel().catch(() => {});
    await Deno.remove(store, { recursive: true });
  }
}

console.log(
  `sluice http benchmarks, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry})`,
);
await run("tail -> http (memory)", "memory");
await run("tail -> http (filesystem)", "filesystem");
console.log("reference: Fluent Bit 4.2.8 tail -> http, same file: ~1.5M lines/s, ~1.0 CPU-s");
