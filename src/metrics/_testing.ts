/** Metric fixtures for this folder's tests: one of every kind, with every field set. */
import type { MetricRecord } from "../event/metric.ts";
import { emptyScope, type Resource } from "../event/span.ts";
import { newMetric, numberPoint } from "./model.ts";

const T = 1_700_000_000_123_000_000n;
const START = 1_699_999_000_000_000_000n;

/** Every kind the model holds: counter, int and double gauges, untyped, histograms, summary. */
export function everyKind(): MetricRecord[] {
  const resource: Resource = {
    attributes: { "service.name": "shop", "host.name": "h1" },
    droppedAttributesCount: 0,
    schemaUrl: "",
  };
  const scope = { ...emptyScope(), name: "meter", version: "1.0" };
  const init = { resource, scope };
  return [
    newMetric("http_requests_total", {
      sum: {
        aggregationTemporality: 2,
        isMonotonic: true,
        dataPoints: [
          numberPoint({ method: "GET", code: "200" }, 1027n, T, START),
          numberPoint({ method: "POST", code: "500" }, 3n, T, START),
        ],
      },
    }, { ...init, description: "Requests served.", unit: "1" }),
    newMetric("queue_depth", { gauge: { dataPoints: [numberPoint({ q: "a" }, 7n, T)] } }, {
      ...init,
      description: "Items waiting.",
    }),
    newMetric("temperature_celsius", {
      gauge: {
        dataPoints: [
          numberPoint({ room: "kitchen" }, 21.5, T),
          numberPoint({ room: "void" }, NaN, T),
          numberPoint({ room: "sun" }, Infinity, T),
        ],
      },
    }, { ...init, description: "Room temperature.", unit: "Cel" }),
    newMetric("legacy_value", { gauge: { dataPoints: [numberPoint({}, 12.47, T)] } }, {
      ...init,
      prometheusType: "unknown",
    }),
    newMetric("latency_seconds", {
      histogram: {
        aggregationTemporality: 2,
        dataPoints: [{
          attributes: { route: "/x" },
          startTimeUnixNano: START,
          timeUnixNano: T,
          flags: 0,
          count: 10n,
          sum: 4.5,
          bucketCounts: [2n, 3n, 4n, 1n],
          explicitBounds: [0.1, 0.5, 1],
          exemplars: [],
          min: 0.01,
          max: 2,
        }],
      },
    }, { ...init, description: "Request latency.", unit: "s" }),
    newMetric("payload_bytes", {
      exponentialHistogram: {
        aggregationTemporality: 2,
        dataPoints: [{
          attributes: { dir: "in" },
          startTimeUnixNano: START,
          timeUnixNano: T,
          flags: 0,
          count: 6n,
          sum: 30,
          scale: 1,
          zeroCount: 1n,
          positive: { offset: 2, bucketCounts: [2n, 3n] },
          negative: { offset: 0, bucketCounts: [] },
          exemplars: [],
          min: 0,
          max: 9,
          zeroThreshold: 0,
        }],
      },
    }, { ...init, description: "Payload sizes.", unit: "By" }),
    newMetric("rpc_seconds", {
      summary: {
        dataPoints: [{
          attributes: { svc: "a" },
          startTimeUnixNano: START,
          timeUnixNano: T,
          flags: 0,
          count: 2693n,
          sum: 17560473,
          quantileValues: [{ quantile: 0.5, value: 4773 }, { quantile: 0.99, value: 76656 }],
        }],
      },
    }, { ...init, description: "RPC durations." }),
  ];
}
