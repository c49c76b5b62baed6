/**
 * The scale-out rig shared by `scale_out_test.ts` and `bench/scale_out.ts`: sluice agents
 * (opentelemetry input, load-balanced opentelemetry output) in front of sluice aggregators
 * (opentelemetry input, tail sampling, opentelemetry output) that all export into one OTLP
 * sink the test reads, which notes which aggregator sent each span (`X-Aggregator`).
 */
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as api from "npm:@opentelemetry/api@1.10.0";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { resourceFromAttributes } from "npm:@opentelemetry/resources@2.12.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import * as traceSdk from "npm:@opentelemetry/sdk-trace-base@2.12.1";
// deno-lint-ignore no-import-prefix -- a test-only dependency, kept out of the import map
import { OTLPTraceExporter } from "npm:@opentelemetry/exporter-trace-otlp-proto@0.301.1";
import { hashBytes, Rendezvous } from "../src/engine/partition/mod.ts";
import { decodeTraces, hexId } from "../src/otlp/mod.ts";
import { idFromHex } from "../src/otlp/hex.ts";

/** A span as the sink got it. */
export interface SunkSpan {
  aggregator: string;
  traceId: string;
  spanId: string;
}

/** The OTLP/HTTP sink every aggregator exports to. */
export interface Sink {
  port: number;
  spans: SunkSpan[];
  close(): Promise<void>;
}

/** Starts the sink on 127.0.0.1 (protobuf traces only; answers 200). */
export function startSink(options: { keepSpans?: boolean } = {}): Sink & { count: number } {
  const spans: SunkSpan[] = [];
  const state = { count: 0 };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = new Uint8Array(await req.arrayBuffer());
    const aggregator = req.headers.get("x-aggregator") ?? "?";
    const got = decodeTraces(body, "protobuf");
    state.count += got.length;
    if (options.keepSpans !== false) {
      for (const s of got) {
        spans.push({ aggregator, traceId: hexId(s.traceId), spanId: hexId(s.spanId) });
      }
    }
    return new Response(null, { status: 200 });
  });
  return {
    port: server.addr.port,
    spans,
    get count() {
      return state.count;
    },
    close: () => server.shutdown(),
  };
}

/** An aggregator's config: OTLP in, tail sampling keeping traces with an ERROR span, OTLP out. */
export function aggregatorYaml(o: {
  name: string;
  port: number;
  metricsPort: number;
  sinkPort: number;
  decisionWait: string;
}): string {
  return `
service: { flush: 0.2, log_level: info, grace: 5, http_server: on, http_listen: 127.0.0.1, http_port: ${o.metricsPort} }
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${o.port}
      mem_buf_limit: 256M
      processors:
        traces:
          - name: sampling
            type: tail
            sampling_settings:
              decision_wait: ${o.decisionWait}
              max_traces: 1000000
            conditions:
              - type: status_code
                status_codes: [ERROR]
  outputs:
    - name: opentelemetry
      match: "*"
      host: 127.0.0.1
      port: ${o.sinkPort}
      header: X-Aggregator ${o.name}
      retry_limit: no_limits
`;
}

/** An agent's config: OTLP in (filesystem storage), OTLP out balanced over `endpoints`. */
export function agentYaml(o: {
  port: number;
  metricsPort: number;
  endpoints: readonly string[];
  storageDir?: string;
  onDown?: "buffer" | "failover";
  /** false: a plain output to the first endpoint (the baseline of the routing cost). */
  balanced?: boolean;
}): string {
  const storage = o.storageDir ? `, storage.path: ${o.storageDir}` : "";
  const [host, port] = o.endpoints[0]!.split(":");
  const target = o.balanced === false
    ? `host: ${host}\n      port: ${port}`
    : `lb.endpoints: [${o.endpoints.join(", ")}]\n      lb.on_down: ${o.onDown ?? "buffer"}`;
  return `
service: { flush: 0.2, log_level: info, grace: 5, scheduler.base: 1, scheduler.cap: 2, http_server: on, http_listen: 127.0.0.1, http_port: ${o.metricsPort}${storage} }
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${o.port}
      mem_buf_limit: 256M${o.storageDir ? "\n      storage.type: filesystem" : ""}
  outputs:
    - name: opentelemetry
      match: "*"
      retry_limit: no_limits
      ${target}
`;
}

/** The sum of every series of `metric` on a sluice monitoring server (Prometheus text). */
export async function metricSum(port: number, metric: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`)).text();
  let sum = 0;
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})? (\S+)/.exec(line);
    if (m && m[1] === metric) sum += Number(m[2]);
  }
  return sum;
}

/** The index in `endpoints` a trace (hex ID) is placed on, as the agents place it. */
export function homeOf(traceId: string, endpoints: readonly string[]): number {
  return new Rendezvous(endpoints).pick(hashBytes(idFromHex(traceId)));
}

/** A trace the SDK recorded: its ID and whether the policy keeps it (an ERROR span). */
export interface SentTrace {
  traceId: string;
  kept: boolean;
  spans: number;
}

/**
 * Records `count` traces through the OpenTelemetry JS SDK as three services, one per agent
 * (`web` on agents[0], `cart` on agents[1], `db` on agents[2]): each trace's root, child and
 * grandchild are exported to three different agents. Every third trace has an ERROR span.
 */
export async function sdkTraces(
  agentPorts: readonly number[],
  count: number,
): Promise<SentTrace[]> {
  const services = ["web", "cart", "db"];
  const providers = services.map((service, i) =>
    new traceSdk.BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": service }),
      spanProcessors: [
        new traceSdk.BatchSpanProcessor(
          new OTLPTraceExporter({
            url: `http://127.0.0.1:${agentPorts[i % agentPorts.length]}/v1/traces`,
          }),
          { maxQueueSize: 100_000, maxExportBatchSize: 512, scheduledDelayMillis: 50 },
        ),
      ],
    })
  );
  const [web, cart, db] = providers.map((p, i) => p.getTracer(`@shop/${services[i]}`, "1.0.0"));
  const sent: SentTrace[] = [];
  for (let t = 0; t < count; t++) {
    const root = web!.startSpan("GET /checkout", { kind: api.SpanKind.SERVER });
    const child = cart!.startSpan(
      "cart.load",
      { kind: api.SpanKind.SERVER },
      api.trace.setSpan(api.ROOT_CONTEXT, root),
    );
    const leaf = db!.startSpan(
      "SELECT cart",
      { kind: api.SpanKind.CLIENT, attributes: { "db.system": "postgresql" } },
      api.trace.setSpan(api.ROOT_CONTEXT, child),
    );
    const kept = t % 3 === 0;
    if (kept) leaf.setStatus({ code: api.SpanStatusCode.ERROR, message: "deadlock" });
    leaf.end();
    child.end();
    root.end();
    sent.push({ traceId: root.spanContext().traceId, kept, spans: 3 });
    if (t % 500 === 499) await new Promise((r) => setTimeout(r, 0));
  }
  await Promise.all(providers.map((p) => p.forceFlush()));
  await Promise.all(providers.map((p) => p.shutdown()));
  return sent;
}
