/**
 * The test kit's sample records per signal: what the conformance test feeds a plugin for a
 * signal its example gives no samples of, and the chunk builder it feeds them with.
 */
import type { Ack } from "../event/ack.ts";
import type { Chunk, Signal } from "../event/chunk.ts";
import { EventTime } from "../event/event_time.ts";
import type { MetricRecord } from "../event/metric.ts";
import { emptyResource, emptyScope } from "../event/span.ts";
import type { PluginSamples } from "../plugin.ts";
import { hexSpan, testSpan } from "./spans.ts";

/** Every signal's samples, fresh objects on each call. */
export type AllSamples = { [S in keyof PluginSamples]-?: NonNullable<PluginSamples[S]> };

/** The kit's samples: three log bodies, two spans of two traces, a gauge and a sum. */
export function kitSamples(): AllSamples {
  const resource = { ...emptyResource(), attributes: { "service.name": "svc" } };
  const scope = { ...emptyScope(), name: "meter" };
  const metric = (name: string, data: Record<string, unknown>): MetricRecord => ({
    resource,
    scope,
    name,
    description: `${name} sample`,
    unit: "1",
    metadata: {},
    data,
  });
  const point = { startTimeUnixNano: 1n, timeUnixNano: 2n, attributes: { a: "b" }, flags: 0 };
  return {
    logs: [0, 1, 2].map((n) => ({ log: `{"n":${n}}`, k: "v", n })),
    traces: [
      testSpan({ name: "first" }),
      hexSpan("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174"),
    ],
    metrics: [
      metric("g", { gauge: { dataPoints: [{ ...point, value: 1.5, exemplars: [] }] } }),
      metric("s", {
        sum: {
          aggregationTemporality: 2,
          isMonotonic: true,
          dataPoints: [{ ...point, value: 3n, exemplars: [] }],
        },
      }),
    ],
  };
}

/** The records of `signal` from `samples` (the kit's for a signal it leaves out), cloned. */
export function samplesOf(samples: PluginSamples | undefined, signal: Signal): Chunk["records"] {
  if (signal === "logs") {
    const bodies = structuredClone(samples?.logs ?? kitSamples().logs);
    return bodies.map((body, i) => ({
      time: new EventTime(1_700_000_000 + i, 0),
      metadata: {},
      body,
    }));
  }
  return structuredClone(samples?.[signal] ?? kitSamples()[signal]) as Chunk["records"];
}

/** A chunk of `records` of `signal`, tagged `conformance`, from input `test.0`, with `ack`. */
export function sampleChunk(signal: Signal, records: Chunk["records"], ack: Ack): Chunk {
  return {
    signal,
    tag: "conformance",
    input: "test.0",
    records,
    bytes: 64 * records.length,
    ack,
  } as Chunk;
}
