/**
 * `deno task bench:otlp-grpc`: OTLP/gRPC ingest of 200,000 spans (100 spans per Export
 * call, 8 concurrent clients, each on its own HTTP/2 connection, driven by node's nghttp2
 * client in `otlp_grpc_load.mjs` so the load costs the machine little) into
 * sluice and into Fluent Bit 4.2.8 with the same config: `opentelemetry -> null` (timed
 * until every call is answered OK) and `opentelemetry -> opentelemetry (grpc on)` (timed
 * until a gRPC sink in this process has every span). Calls answered UNAVAILABLE or
 * RESOURCE_EXHAUSTED are retried after 50 ms. Prints spans/s, CPU seconds and peak RSS
 * (GNU time) of each run, then the best of `BENCH_RUNS` (3) alternating runs of each and
 * their sluice / Fluent Bit ratio, with the load average. `BENCH_SPANS` sets the span
 * count, `BENCH_CASES=null,grpc` picks the rows.
 */
import { emptyScope, type Span } from "../src/event/span.ts";
import { GrpcClient, GrpcCode, GrpcIngress } from "../src/net/grpc/mod.ts";
import { encodeTraces } from "../src/otlp/mod.ts";
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { until } from "../src/testing/until.ts";
import { freePort, loadAverage, sluiceCommand, startMeasured } from "./measure.ts";
import { countSpans } from "./otlp_load.ts";

const SPANS = Number(Deno.env.get("BENCH_SPANS") ?? 200_000);
const CASES = (Deno.env.get("BENCH_CASES") ?? "null,grpc").split(",");
/** Alternating runs per row; the best of each is compared. */
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? 3);
const PER_REQUEST = 100;
const CLIENTS = 8;
const EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

function requests(): Uint8Array[] {
  const resource = {
    attributes: { "service.name": "bench", "host.name": "bench-1" },
    droppedAttributesCount: 0,
    schemaUrl: "",
  };
  const scope = { ...emptyScope(), name: "bench", version: "1.0.0" };
  const start = 1_700_000_000_000_000_000n;
  const out: Uint8Array[] = [];
  for (let r = 0, n = 0; r < SPANS / PER_REQUEST; r++) {
    const spans: Span[] = [];
    for (let i = 0; i < PER_REQUEST; i++, n++) {
      const traceId = new Uint8Array(16);
      traceId[0] = 0xab;
      new DataView(traceId.buffer).setUint32(12, Math.floor(n / 10) + 1);
      const spanId = new Uint8Array(8);
      spanId[0] = 0xcd;
      new DataView(spanId.buffer).setUint32(4, n + 1);
      spans.push({
        resource,
        scope,
        traceId,
        spanId,
        parentSpanId: new Uint8Array(0),
        traceState: "",
        flags: 1,
        name: n % 10 === 0 ? "GET /api/cart" : `db.query ${n % 10}`,
        kind: n % 10 === 0 ? 2 : 3,
        startTimeUnixNano: start + BigInt(n) * 1000n,
        endTimeUnixNano: start + BigInt(n) * 1000n + 2_500_000n,
        attributes: { "http.method": "GET", "http.status_code": 200, "db.rows": n % 17 },
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: { code: 0, message: "" },
      });
    }
    out.push(encodeTraces(spans, "protobuf"));
  }
  return out;
}

/** Sends every body as an Export call from CLIENTS node connections; returns the retries. */
async function load(port: number, bodiesFile: string): Promise<number> {
  const out = await new Deno.Command("node", {
    args: [
      new URL("./otlp_grpc_load.mjs", import.meta.url).pathname,
      String(port),
      bodiesFile,
      String(CLIENTS),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success || !text.startsWith("ok ")) throw new Error(`The load failed: ${text}`);
  return Number(text.slice(3));
}

/** The bodies, each with a 4-byte length, in one file for the load process. */
async function bodiesFile(bodies: Uint8Array[]): Promise<string> {
  const file = await Deno.makeTempFile({ prefix: "sluice_bench_otlp_grpc_bodies_" });
  let total = 0;
  for (const b of bodies) total += 4 + b.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const b of bodies) {
    view.setUint32(at, b.length);
    out.set(b, at + 4);
    at += 4 + b.length;
  }
  await Deno.writeFile(file, out);
  return file;
}

/** Waits until an HTTP/2 (gRPC) listener accepts a call on `port`. */
async function waitGrpc(port: number): Promise<void> {
  const client = new GrpcClient({ host: "127.0.0.1", port, connectTimeoutMs: 1000 });
  await until(
    async () => {
      const r = await client.unary(EXPORT, new Uint8Array(0), { timeoutMs: 1000 }).catch(() =>
        null
      );
      return r !== null;
    },
    `a gRPC listener on port ${port}`,
    { timeout: 30_000, interval: 50 },
  );
  client.close();
}

interface Run {
  spansPerSecond: number;
  cpu: number;
  peakRssMb: number;
  retries: number;
}

async function run(
  cmd: (dir: string) => Promise<string[]>,
  port: number,
  bodies: string,
  delivered: () => boolean,
): Promise<Run> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_bench_otlp_grpc_" });
  const proc = startMeasured(await cmd(dir));
  await waitGrpc(port);
  const started = performance.now();
  const retries = await load(port, bodies);
  await until(delivered, "every span at the sink", { timeout: 300_000, interval: 5 });
  const seconds = (performance.now() - started) / 1000;
  const m = await proc.stop();
  await Deno.remove(dir, { recursive: true });
  if (m.code !== 0 && m.code !== 143) console.log(m.stderr);
  return { spansPerSecond: SPANS / seconds, cpu: m.cpu, peakRssMb: m.peakRssMb, retries };
}

function line(name: string, r: Run): string {
  return `${name.padEnd(44)} ${
    Math.round(r.spansPerSecond).toLocaleString("en-US").padStart(9)
  } spans/s  ${r.cpu.toFixed(2).padStart(6)} CPU-s  ${r.peakRssMb.toFixed(1).padStart(6)} MB ` +
    `peak RSS  ${r.retries} retried calls`;
}

function yaml(port: number, output: string, flush: string): string {
  return `service:\n${flush}  log_level: warn\npipeline:\n  inputs:\n` +
    `    - name: opentelemetry\n      listen: 127.0.0.1\n      port: ${port}\n` +
    `  outputs:\n${output}`;
}

const bodies = await bodiesFile(requests());
const { entry, cmd: sluice } = await sluiceCommand();
const fb = await fluentBitPath();
console.log(
  `OTLP/gRPC benchmarks: ${SPANS.toLocaleString("en-US")} spans, ${PER_REQUEST} per call, ` +
    `${CLIENTS} clients (sluice: ${entry}; load average ${loadAverage()})`,
);
if (!fb) {
  console.log("Fluent Bit 4.2.8 not found (../shared/peers/fluent-bit-4.2.8 or $FLUENT_BIT)");
}

/** One row: `output` for both, `sink` when timed until the gRPC sink has every span. */
async function compare(
  name: string,
  output: (sinkPort: number) => string,
  sink: boolean,
): Promise<void> {
  // Delivery is timed to the last span, so the outputs flush every 0.2 s (both tools).
  const flush = sink ? "  flush: 0.2\n" : "";
  const who = fb ? ["sluice", "fluent-bit"] : ["sluice"];
  const best: Record<string, Run> = {};
  // Alternating runs, the best of each kept: the machine is shared, one run says little.
  for (let round = 0; round < RUNS; round++) {
    for (const w of who) {
      const r = await once(w, output, sink, flush);
      console.log(line(`${w} ${name}`, r) + `  (run ${round + 1}, load ${loadAverage()})`);
      if (!best[w] || r.spansPerSecond > best[w]!.spansPerSecond) best[w] = r;
    }
  }
  for (const w of who) console.log(line(`best: ${w} ${name}`, best[w]!));
  if (best["fluent-bit"]) {
    const ratio = best.sluice!.spansPerSecond / best["fluent-bit"].spansPerSecond;
    console.log(
      `  ratio sluice / fluent-bit (best of ${RUNS}): ${ratio.toFixed(2)}x ` +
        `(load average ${loadAverage()})`,
    );
  }
}

/** One run of `who` (sluice or fluent-bit) with a fresh gRPC sink. */
async function once(
  who: string,
  output: (sinkPort: number) => string,
  sink: boolean,
  flush: string,
): Promise<Run> {
  let received = 0;
  const ingress = new GrpcIngress((call) => {
    received += countSpans(call.message);
    return Promise.resolve({ code: GrpcCode.OK, response: new Uint8Array(0) });
  }, { limit: 64_000_000, maxConcurrentStreams: 100, maxConnections: 64, idleTimeoutMs: 30_000 });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const sinkPort = (listener.addr as Deno.NetAddr).port;
  void (async () => {
    for await (const conn of listener) ingress.take(conn, new Uint8Array(0));
  })().catch(() => {});
  const port = freePort();
  try {
    return await run(
      async (dir) => {
        const file = `${dir}/${who}.yaml`;
        await Deno.writeTextFile(file, yaml(port, output(sinkPort), flush));
        return who === "sluice" ? [...sluice, "-c", file] : [fb!, "-c", file];
      },
      port,
      bodies,
      () => !sink || received >= SPANS,
    );
  } finally {
    listener.close();
    await ingress.close();
    if (sink && received !== SPANS) console.log(`!! ${who}: ${received} spans at the sink`);
  }
}

if (CASES.includes("null")) {
  await compare("otlp/grpc -> null", () => `    - name: 'null'\n      match: '*'\n`, false);
}
if (CASES.includes("grpc")) {
  await compare(
    "otlp/grpc -> otlp/grpc (delivered)",
    (sinkPort) =>
      `    - name: opentelemetry\n      match: '*'\n      host: 127.0.0.1\n` +
      `      port: ${sinkPort}\n      grpc: on\n`,
    true,
  );
}

await Deno.remove(bodies);
