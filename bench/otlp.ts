/**
 * `deno task bench:otlp`: OTLP/HTTP protobuf ingest of 200,000 spans (100 spans per
 * request, 8 concurrent clients in this process) into a sluice process, three ways:
 * `opentelemetry -> null`, `opentelemetry -> opentelemetry` (to a receiver in this process
 * answering 200; timed until it has every span), and `opentelemetry` with a tail
 * `sampling` processor `-> null` (default buffer cap, which grows by the sampler's
 * `max_buffered_bytes` as it holds spans for `decision_wait`). Prints spans/s, the sluice process's CPU seconds and peak RSS (GNU
 * time; sluice is stopped with SIGTERM after the load). `BENCH_CASES=null,otlp,sampling`
 * picks runs, `BENCH_SPANS` the span count, `BENCH_DEBUG=1` prints load time and 503s,
 * `BENCH_V8_FLAGS` passes V8 flags to sluice (e.g. `--prof`, logs land in the cwd).
 */
import { until } from "../src/testing/until.ts";
import { postAll } from "./load.ts";
import { freePort, sluiceCommand, startMeasured, waitListening } from "./measure.ts";
import { countSpans, PER_REQUEST, traceRequests } from "./otlp_load.ts";

const SPANS = Number(Deno.env.get("BENCH_SPANS") ?? 200_000);
/** Which runs: any of null, otlp, sampling (comma-separated; all by default). */
const CASES = (Deno.env.get("BENCH_CASES") ?? "null,otlp,sampling").split(",");
const CLIENTS = 8;

interface Run {
  spansPerSecond: number;
  cpu: number;
  peakRssMb: number;
  code: number;
}

/** Runs sluice with `yaml` under GNU time, loads it, waits for `delivered`, stops it. */
async function run(
  sluice: string[],
  yaml: string,
  port: number,
  bodies: Uint8Array[],
  delivered: () => boolean = () => true,
): Promise<Run> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_bench_otlp_" });
  await Deno.writeTextFile(`${dir}/sluice.yaml`, yaml);
  const receiver = startMeasured([...sluice, "-c", `${dir}/sluice.yaml`]);
  await waitListening(port, "/v1/traces");
  const started = performance.now();
  const refused = await postAll(`http://127.0.0.1:${port}/v1/traces`, bodies, {
    requests: bodies.length,
    clients: CLIENTS,
    contentType: "application/x-protobuf",
    retryMs: 50,
  });
  const loaded = (performance.now() - started) / 1000;
  await until(delivered, "every span at the receiver", { timeout: 300_000, interval: 5 });
  if (Deno.env.get("BENCH_DEBUG")) console.log(`load took ${loaded.toFixed(2)} s, ${refused} 503s`);
  const seconds = (performance.now() - started) / 1000;
  const m = await receiver.stop();
  await Deno.remove(dir, { recursive: true });
  if (m.code !== 0) console.log(m.stderr);
  return { spansPerSecond: SPANS / seconds, cpu: m.cpu, peakRssMb: m.peakRssMb, code: m.code };
}

function line(name: string, r: Run, note = ""): string {
  return `${name.padEnd(34)} ${
    Math.round(r.spansPerSecond).toLocaleString("en-US").padStart(9)
  } spans/s  ` +
    `${r.cpu.toFixed(2).padStart(6)} CPU-s  ${r.peakRssMb.toFixed(1).padStart(6)} MB peak RSS` +
    (r.code === 0 ? "" : `  (exit ${r.code})`) + note;
}

const bodies = traceRequests(SPANS);
const { entry, cmd: sluice } = await sluiceCommand();
console.log(
  `sluice OTLP benchmarks: ${SPANS.toLocaleString("en-US")} spans, ${PER_REQUEST} per request, ` +
    `${CLIENTS} clients (${entry})`,
);

const input = (port: number): string => `
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}`;

if (CASES.includes("null")) {
  const port = freePort();
  const r = await run(
    sluice,
    `pipeline:\n  inputs:${input(port)}\n  outputs:\n    - name: 'null'\n      match: '*'\n`,
    port,
    bodies,
  );
  console.log(line("otlp -> null", r));
}

if (CASES.includes("otlp")) {
  let received = 0;
  const rx = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received += countSpans(new Uint8Array(await req.arrayBuffer()));
    return new Response(null, { status: 200 });
  });
  const port = freePort();
  const yaml = `service:\n  flush: 0.2\npipeline:\n  inputs:${input(port)}\n  outputs:\n` +
    `    - name: opentelemetry\n      match: '*'\n      host: 127.0.0.1\n      port: ${rx.addr.port}\n`;
  const r = await run(sluice, yaml, port, bodies, () => received >= SPANS);
  await rx.shutdown();
  console.log(line("otlp -> opentelemetry (delivered)", r, `  [${received} spans received]`));
}

if (CASES.includes("sampling")) {
  const port = freePort();
  // The sampler holds every span for decision_wait; the input's default cap grows by the
  // sampler's max_buffered_bytes, so the sampler's own bound acts before the input pauses.
  const yaml = `pipeline:\n  inputs:${input(port)}\n` +
    `      processors:\n        traces:\n` +
    `          - name: sampling\n            type: tail\n            sampling_settings:\n` +
    `              decision_wait: 2s\n            conditions:\n` +
    `              - type: status_code\n                status_codes: [ERROR]\n` +
    `              - type: latency\n                threshold_ms_low: 1000\n` +
    `  outputs:\n    - name: 'null'\n      match: '*'\n`;
  const r = await run(sluice, yaml, port, bodies);
  console.log(line("otlp -> tail sampling -> null", r, "  (ingest rate)"));
}
