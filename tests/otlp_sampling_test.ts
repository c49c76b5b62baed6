/**
 * The tail-sampling scenario users reported against Fluent Bit, end to end
 * through the CLI: OTLP/JSON spans in, `sampling` (tail) as an input processor,
 * spans printed by stdout. A trace with a span at or above `threshold_ms_high`,
 * or a span whose status is ERROR or UNSET, is kept whole; a fast trace whose spans
 * are all OK is dropped. Pending traces are decided at shutdown, not lost.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { freePort, waitFor } from "./_helpers.ts";
import { postOtlp, startSluice, waitListening } from "./_otlp_helpers.ts";

type Kind = "slow" | "error" | "unset" | "fast_ok";
const KINDS: Kind[] = ["slow", "error", "unset", "fast_ok"];

function hex(n: number, bytes: number): string {
  return n.toString(16).padStart(bytes * 2, "0");
}

/** Three spans of trace `i`; the first byte of every trace ID is zero on purpose. */
function trace(i: number, kind: Kind, thresholdMs: number) {
  const traceId = hex(i + 1, 16);
  const start = 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000_000n;
  const fast = BigInt(Math.max(1, Math.floor(thresholdMs / 4))) * 1_000_000n;
  const slow = BigInt(thresholdMs) * 1_000_000n;
  return [0, 1, 2].map((j) => {
    const status = kind === "error" && j === 2
      ? { code: 2 } // an integer enum, as the spec writes it (Fluent Bit 4.2.8 answers 400)
      : kind === "unset" && j === 1
      ? undefined
      : { code: 1 };
    const duration = kind === "slow" && j === 1 ? slow : fast;
    return {
      traceId,
      spanId: hex(i * 3 + j + 1, 8),
      ...(j > 0 ? { parentSpanId: hex(i * 3 + 1, 8) } : {}),
      name: `op-${j}`,
      kind: 2,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + duration),
      ...(status ? { status } : {}),
    };
  });
}

function request(spans: unknown[]): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "shop" } }] },
      scopeSpans: [{ scope: { name: "test" }, spans }],
    }],
  });
}

async function scenario(
  thresholdMs: number,
  traces: number,
  options: { perRequest: number; decideRunning: boolean },
) {
  const { perRequest } = options;
  const port = freePort();
  const sluice = await startSluice(`
service: { flush: 0.2, log_level: warn, grace: 10 }
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
      mem_buf_limit: 256M
      processors:
        traces:
          - name: sampling
            type: tail
            sampling_settings:
              decision_wait: 2s
            conditions:
              - type: latency
                threshold_ms_high: ${thresholdMs}
              - type: status_code
                status_codes: [ERROR, UNSET]
  outputs:
    - name: stdout
      match: "*"
      format: json_lines
`);
  try {
    await waitListening(port);
    const expected = new Set<string>();
    let batch: unknown[] = [];
    for (let i = 0; i < traces; i++) {
      const kind = KINDS[i % KINDS.length];
      if (kind !== "fast_ok") expected.add(hex(i + 1, 16));
      batch.push(...trace(i, kind!, thresholdMs));
      if ((i + 1) % perRequest === 0 || i === traces - 1) {
        const r = await postOtlp(port, "/v1/traces", { body: request(batch) });
        assertEquals(r.status, 201, r.text);
        batch = [];
      }
    }
    if (options.decideRunning) {
      // decision_wait passes while running: every kept span is printed before any stop.
      await waitFor(
        () => sluice.stdout.filter((l) => l.startsWith("{")).length >= expected.size * 3,
        {
          timeoutMs: 20_000,
          what: "kept traces printed after decision_wait",
        },
      );
    }
    // Otherwise stop at once: traces still waiting out decision_wait are decided at shutdown.
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
    const spans = sluice.stdout.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const kept = new Map<string, number>();
    for (const s of spans) kept.set(s.traceId, (kept.get(s.traceId) ?? 0) + 1);
    assertEquals([...kept.keys()].sort(), [...expected].sort());
    for (const [id, n] of kept) assertEquals(n, 3, `trace ${id} is kept whole`);
  } finally {
    await sluice.stop();
  }
}

Deno.test("tail sampling at threshold_ms_high 200: slow, ERROR and UNSET traces kept whole, fast OK dropped", async () => {
  await scenario(200, 40, { perRequest: 4, decideRunning: true });
});

Deno.test("tail sampling at threshold_ms_high 20 under sustained load forwards exactly the matching traces", async () => {
  await scenario(20, 8000, { perRequest: 100, decideRunning: false });
});
