/**
 * The last errors and warnings the process logged, for the status page and `sluice top`:
 * a log sink that passes every line on and keeps the last few at `warn` or `error`.
 */
import type { LogSink } from "../engine/log.ts";

/** One remembered log line. */
export interface RecentEntry {
  /** When it was logged, in epoch milliseconds. */
  time: number;
  level: "error" | "warn";
  component: string;
  message: string;
}

/**
 * A bounded memory of warnings and errors, fed by the sink it wraps.
 *
 * @example
 * ```ts
 * import { Logger, memorySink } from "../engine/log.ts";
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const recent = new RecentLog(2);
 * const log = new Logger({ sink: recent.tee(memorySink()) });
 * log.info("started");
 * log.child("output:http:http.0").error("connection refused");
 * assertEquals(recent.entries().map((e) => [e.level, e.component, e.message]), [
 *   ["error", "output:http:http.0", "connection refused"],
 * ]);
 * ```
 */
export class RecentLog {
  readonly #max: number;
  readonly #entries: RecentEntry[] = [];
  readonly #now: () => number;

  constructor(max = 20, now: () => number = Date.now) {
    this.#max = Math.max(1, max);
    this.#now = now;
  }

  /** A sink writing to `inner` and remembering warnings and errors. */
  tee(inner: LogSink): LogSink {
    return {
      write: (line) => inner.write(line),
      entry: (level, component, message) => {
        inner.entry?.(level, component, message);
        if (level === "error" || level === "warn") this.#remember(level, component, message);
      },
    };
  }

  /** The remembered entries, oldest first. */
  entries(): RecentEntry[] {
    return [...this.#entries];
  }

  #remember(level: "error" | "warn", component: string, message: string): void {
    this.#entries.push({ time: this.#now(), level, component, message: message.slice(0, 500) });
    if (this.#entries.length > this.#max) this.#entries.shift();
  }
}
