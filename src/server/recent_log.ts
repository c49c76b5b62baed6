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

const LINE = /^\[[^\]]*\] \[ ?(error|warn)\] \[([^\]]*)\] (.*)$/s;

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
      write: (line) => {
        inner.write(line);
        this.#remember(line);
      },
    };
  }

  /** The remembered entries, oldest first. */
  entries(): RecentEntry[] {
    return [...this.#entries];
  }

  #remember(line: string): void {
    const m = LINE.exec(line.trimEnd());
    if (!m) return;
    this.#entries.push({
      time: this.#now(),
      level: m[1] as "error" | "warn",
      component: m[2]!,
      message: m[3]!.slice(0, 500),
    });
    if (this.#entries.length > this.#max) this.#entries.shift();
  }
}
