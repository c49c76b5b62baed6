/**
 * `latency`: a span lasting at most `threshold_ms_low` or at least
 * `threshold_ms_high` milliseconds (whole ms, as Fluent Bit truncates; a zero
 * threshold is unset; a span ending before it starts never matches). With
 * `scope: trace` (a sluice extension) the duration is the trace's, from its
 * earliest span start to its latest span end, as the OTel Collector measures it;
 * spans with a zero start or end time are left out of that.
 */
import type { Condition, TraceView } from "./types.ts";
import type { ConditionReader } from "./reader.ts";

const NS_PER_MS = 1_000_000n;

function within(ms: bigint, low: bigint, high: bigint): boolean {
  return (low !== 0n && ms <= low) || (high !== 0n && ms >= high);
}

/** Parses a `latency` condition. */
export function parseLatency(r: ConditionReader): Condition {
  r.only(["threshold_ms_low", "threshold_ms_high", "scope"]);
  const low = BigInt(r.uint("threshold_ms_low") ?? 0);
  const high = BigInt(r.uint("threshold_ms_high") ?? 0);
  if (low === 0n && high === 0n) r.fail("set threshold_ms_low or threshold_ms_high above 0");
  const scope = (r.string("scope") ?? "span").toLowerCase();
  if (scope !== "span" && scope !== "trace") {
    r.fail(`expected "scope" to be span or trace, got ${JSON.stringify(scope)}`);
  }
  if (scope === "trace") {
    return {
      type: "latency",
      matches(trace: TraceView): boolean {
        let first = -1n;
        let last = -1n;
        for (const s of trace.spans) {
          const start = s.startTimeUnixNano;
          const end = s.endTimeUnixNano;
          if (typeof start !== "bigint" || typeof end !== "bigint") continue;
          if (start === 0n || end === 0n) continue;
          if (first < 0n || start < first) first = start;
          if (end > last) last = end;
        }
        if (first < 0n || last < first) return false;
        return within((last - first) / NS_PER_MS, low, high);
      },
    };
  }
  return {
    type: "latency",
    matches(trace: TraceView): boolean {
      for (const s of trace.spans) {
        const start = s.startTimeUnixNano;
        const end = s.endTimeUnixNano;
        if (typeof start !== "bigint" || typeof end !== "bigint" || start > end) continue;
        if (within((end - start) / NS_PER_MS, low, high)) return true;
      }
      return false;
    },
  };
}
