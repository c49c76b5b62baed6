/**
 * The tail input's own metrics, with Fluent Bit's names (records and bytes are counted
 * by the engine): files opened, closed and rotated, long lines skipped and truncated,
 * multiline messages cut at the buffer limit.
 */
import type { InputContext } from "../../../src/plugin.ts";

/** Counters of one tail input instance. */
export interface TailMetrics {
  opened(): void;
  closed(): void;
  rotated(): void;
  longLine(what: "skipped" | "truncated"): void;
  /** Sets the multiline truncation count to the joiner's running total. */
  multilineTruncated(total: number): void;
  /** Sets the count of lines no multiline parser took; the first is logged with a sample. */
  multilineUnmatched(seen: { total: number; sample: string | undefined }): void;
}

/** Registers the counters (at 0) for the input `ctx` runs. */
export function tailMetrics(ctx: InputContext): TailMetrics {
  const m = ctx.metrics;
  const labels = { name: ctx.name };
  const opened = m.counter("fluentbit_input_files_opened_total", "Total number of opened files");
  const closed = m.counter("fluentbit_input_files_closed_total", "Total number of closed files");
  const rotated = m.counter("fluentbit_input_files_rotated_total", "Total number of rotated files");
  const skipped = m.counter(
    "fluentbit_input_long_line_skipped_total",
    "Total number of skipped long lines",
  );
  const truncated = m.counter(
    "fluentbit_input_long_line_truncated_total",
    "Total number of truncated long lines",
  );
  const mlTruncated = m.counter(
    "fluentbit_input_multiline_truncated_total",
    "Total number of multiline messages truncated at the buffer limit",
  );
  const mlUnmatched = m.counter(
    "sluice_input_multiline_unmatched_lines_total",
    "Lines no multiline parser took (malformed for docker and cri), passed on as they are",
  );
  for (const c of [opened, closed, rotated, skipped, truncated, mlTruncated, mlUnmatched]) {
    c.touch(labels);
  }
  let mlSeen = 0;
  let unmatchedSeen = 0;
  return {
    opened: () => opened.inc(labels),
    closed: () => closed.inc(labels),
    rotated: () => rotated.inc(labels),
    longLine(what) {
      (what === "skipped" ? skipped : truncated).inc(labels);
      ctx.log.once(
        "warn",
        `long-${what}`,
        `a line longer than buffer_max_size was ${what} ` +
          `(counted in fluentbit_input_long_line_${what}_total)`,
      );
    },
    multilineUnmatched({ total, sample }) {
      if (total <= unmatchedSeen) return;
      mlUnmatched.inc(labels, total - unmatchedSeen);
      unmatchedSeen = total;
      const shown = sample === undefined ? "" : `, e.g. ${JSON.stringify(sample.slice(0, 200))}`;
      ctx.log.once(
        "warn",
        "ml-unmatched",
        `a line matched none of the multiline parsers and passes as it is${shown} ` +
          "(counted in sluice_input_multiline_unmatched_lines_total)",
      );
    },
    multilineTruncated(total) {
      if (total > mlSeen) {
        mlTruncated.inc(labels, total - mlSeen);
        mlSeen = total;
      }
    },
  };
}
