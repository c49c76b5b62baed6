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
import { encodeTraces } from "../src/otlp/mod.ts";
import { emptyScope, type Span } from "../src/event/span.ts";
import { until } from "../src/testing/until.ts";
import { postAll } from "./load.ts";
import { freePort, sluiceCommand, startMeasured, waitListening } from "./measure.ts";

const SPANS = Number(Deno.env.get("BENCH_SPANS") ?? 200_000);
/** Which runs: any of null, otlp, sampling (comma-separated; all by default). */
const CASES = (Deno.env.get("BENCH_CASES") ?? "null,otlp,sampling").split(",");
const PER_REQUEST = 100;
const CLIENTS = 8;
const SPANS_PER_TRACE = 10;

/** The request bodies: traces of 10 spans, one in 20 with an error, 100 spans a request. */
function requests(): Uint8Array[] {
  const resource = {
    attributes: { "service.name": "bench", "host.name": "bench-1" },
    droppedAttributesCount: 0,
    schemaUrl: "",
  };
  const scope = { ...emptyScope(), name: "bench", version: "1.0.0" };
  const out: Uint8Array[] = [];
  let n = 0;
  const start = 1_700_000_000_000_000_000n;
  for (let r = 0; r < SPANS / PER_REQUEST; r++) {
    const spans: Span[] = [];
    for (let i = 0; i < PER_REQUEST; i++, n++) {
      const trace = Math.floor(n / SPANS_PER_TRACE);
      const traceId = new Uint8Array(16);
      new DataView(traceId.buffer).setUint32(12, trace + 1);
      traceId[0] = 0xab;
      const spanId = new Uint8Array(8);
      new DataView(spanId.buffer).setUint32(4, n + 1);
      spanId[0] = 0xcd;
      const isRoot = n % SPANS_PER_TRACE === 0;
      const parent = new Uint8Array(8);
      if (!isRoot) new DataView(parent.buffer).setUint32(4, trace * SPANS_PER_TRACE + 1);
      if (!isRoot) parent[0] = 0xcd;
      spans.push({
        resource,
        scope,
        traceId,
        spanId,
        parentSpanId: isRoot ? new Uint8Array(0) : parent,
        traceState: "",
        flags: 1,
        name: isRoot ? "GET /api/cart" : `db.query ${n % SPANS_PER_TRACE}`,
        kind: isRoot ? 2 : 3,
        startTimeUnixNano: start + BigInt(n) * 1000n,
        endTimeUnixNano: start + BigInt(n) * 1000n + 2_500_000n,
        attributes: { "http.method": "GET", "http.status_code": 200, "db.rows": n % 17 },
        droppedAttributesCount: 0,
        events: [],
        droppedEventsCount: 0,
        links: [],
        droppedLinksCount: 0,
        status: { code: trace % 20 === 0 && isRoot ? 2 : 0, message: "" },
      });
    }
    out.push(encodeTraces(spans, "protobuf"));
  }
  return out;
}

/**
 * Spans in an ExportTraceServiceRequest, counted by walking its length-delimited fields
 * (ResourceSpans = 1, ScopeSpans = 2, Span = 2) without decoding them, so the receiver
 * costs this process little.
 */
function countSpans(b: Uint8Array): number {
  const varint = (at: number): [number, number] => {
    let v = 0;
    let shift = 0;
    while (true) {
      const byte = b[at++];
      if (byte === undefined) {
        throw new RangeError(`Cannot read a varint at offset ${at - 1}: the message ends`);
      }
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return [v, at];
      shift += 7;
    }
  };
  /** Calls `each` with the [start, end) of every field `field` (wire type 2) in [at, end). */
  const fields = (at: number, end: number, field: number, each: (s: number, e: number) => void) => {
    while (at < end) {
      const [tag, p] = varint(at);
      const wire = tag & 7;
      if (wire === 2) {
        const [len, q] = varint(p);
        if (tag >>> 3 === field) each(q, q + len);
        at = q + len;
      } else if (wire === 0) at = varint(p)[1];
      else if (wire === 1) at = p + 8;
      else if (wire === 5) at = p + 4;
      else throw new Error(`unexpected wire type ${wire}`);
    }
  };
  let n = 0;
  fields(0, b.length, 1, (rs, re) => fields(rs, re, 2, (ss, se) => fields(ss, se, 2, () => n++)));
  return n;
}

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

const bodies = requests();
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
