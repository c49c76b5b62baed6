/**
 * The throttle filter: Fluent Bit's sliding-window rate limit. A ticker moves the window
 * every `interval`; each record is kept while the window's average stays under `rate`, and
 * dropped otherwise (the engine counts drops in `fluentbit_filter_drop_records_total`).
 * Time is the plugin clock's, so tests move it by hand.
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import { OptionError, type PluginContext, type TransformInstance } from "../../../src/plugin.ts";
import type { ThrottleOptions } from "./options.ts";
import { ThrottleWindow } from "./window.ts";

const SUFFIX: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400 };

/**
 * Seconds of an `interval` as Fluent Bit reads it: a number and an optional `s`, `m`, `h`
 * or `d`. Anything else (`500ms`, `0`, `abc`) is an OptionError naming the fix: Fluent Bit
 * warns and then uses a number of seconds the user did not mean.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals([intervalSeconds("1"), intervalSeconds("1.5m"), intervalSeconds("2h")], [1, 90, 7200]);
 * ```
 */
export function intervalSeconds(text: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+(?:[eE][+-]?\d+)?)([smhd]?)\s*$/.exec(text);
  const n = m ? Number(m[1]) * SUFFIX[m[2]!]! : NaN;
  if (!(n > 0)) {
    throw new OptionError(
      "interval",
      `invalid time interval "${text}": expected a number of seconds with an optional s, m, h or d suffix, like 1s or 1.5m`,
    );
  }
  return n;
}

/** The running filter: a window, its ticker on the plugin clock, and the per-record check. */
export function createThrottle(o: ThrottleOptions, ctx: PluginContext): TransformInstance {
  const rate = o.rate <= 1 ? 1 : o.rate;
  const size = o.window <= 1 ? 5 : o.window;
  const seconds = intervalSeconds(o.interval);
  const window = new ThrottleWindow(size, rate);
  const stop = new AbortController();
  const onStop = () => stop.abort();
  ctx.signal.addEventListener("abort", onStop, { once: true });
  const tick = () => {
    window.tick(Math.floor(ctx.clock.now() / 1000));
    if (o.print_status) {
      ctx.log.info(
        `${Math.floor(Date.now() / 1000)}: limit is ${rate.toFixed(2)} per ${o.interval} ` +
          `with window size of ${size}, current rate is: ${
            Math.trunc(window.total / size)
          } per interval`,
      );
    }
  };
  tick();
  const ticker = (async () => {
    while (!stop.signal.aborted) {
      await ctx.clock.sleep(seconds * 1000, stop.signal);
      if (!stop.signal.aborted) tick();
    }
  })();
  return {
    process(chunk: Chunk): Chunk | null {
      if (chunk.signal !== "logs") return chunk;
      const records = chunk.records;
      let kept: LogRecord[] | undefined;
      for (let i = 0; i < records.length; i++) {
        const r = records[i]!;
        const keep = isGroupMarker(r) || window.admit();
        if (keep) kept?.push(r);
        else kept ??= records.slice(0, i);
      }
      return kept ? withRecords(chunk, kept) : chunk;
    },
    async close() {
      stop.abort();
      ctx.signal.removeEventListener("abort", onStop);
      await ticker;
    },
  };
}
