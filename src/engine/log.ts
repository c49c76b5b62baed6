/**
 * Logging in Fluent Bit's shape, `[2026/11/21 06:09:46] [ info] [input:dummy:dummy.0] msg`,
 * to stderr or `log_file`, filtered by `log_level`.
 */

/** Levels from quietest to loudest; `off` logs nothing. */
export const LOG_LEVELS = ["off", "error", "warn", "info", "debug", "trace"] as const;
/** A log level name. */
export type LogLevel = typeof LOG_LEVELS[number];

const LABELS: Record<LogLevel, string> = {
  off: "",
  error: "error",
  warn: " warn",
  info: " info",
  debug: "debug",
  trace: "trace",
};

/**
 * Lines written at each level by every logger of the process, as Fluent Bit's
 * `fluentbit_logger_logs_total{message_type}` counts them (lines below the level are not).
 */
export const logCounts: Record<Exclude<LogLevel, "off">, number> = {
  error: 0,
  warn: 0,
  info: 0,
  debug: 0,
  trace: 0,
};

/** Where log lines go. */
export interface LogSink {
  /** Takes one formatted line (ending in a newline). */
  write(line: string): void;
  /** Also given the line's parts, for sinks that keep entries rather than text. */
  entry?(level: Exclude<LogLevel, "off">, component: string, message: string): void;
}

const encoder = new TextEncoder();

/** A sink writing to stderr, synchronously so nothing is lost on exit. */
export const stderrSink: LogSink = guarded((bytes) => Deno.stderr.writeSync(bytes));

/** A sink appending to a file. */
export function fileSink(path: string): LogSink {
  const file = Deno.openSync(path, { append: true, create: true });
  return guarded((bytes) => file.writeSync(bytes));
}

/**
 * A sink over `write` that outlives its destination: a closed pipe (the reader of stderr
 * went away) or a full disk stops the log, never the pipeline. Writes are retried until
 * the whole line is out.
 */
function guarded(write: (bytes: Uint8Array) => number): LogSink {
  let broken = false;
  return {
    write(line) {
      if (broken) return;
      let bytes = encoder.encode(line);
      try {
        while (bytes.length > 0) bytes = bytes.subarray(write(bytes));
      } catch {
        broken = true;
      }
    },
  };
}

/** A sink keeping lines in memory, for tests. */
export function memorySink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line) };
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * A logger for one component. `child` makes one for a plugin instance with the
 * same sink; each may have its own level (a plugin's `log_level`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const sink = memorySink();
 * const log = new Logger({ level: "info", sink });
 * log.child("input:dummy:dummy.0").info("started");
 * log.debug("below the level: not written");
 * assertEquals(sink.lines.length, 1);
 * assertEquals(sink.lines[0]?.includes("[input:dummy:dummy.0] started"), true);
 * ```
 */
export class Logger {
  readonly level: LogLevel;
  readonly component: string;
  readonly sink: LogSink;
  #rank: number;
  #once = new Set<string>();

  constructor(options: { level?: LogLevel; component?: string; sink?: LogSink } = {}) {
    this.level = options.level ?? "info";
    this.component = options.component ?? "engine";
    this.sink = options.sink ?? stderrSink;
    this.#rank = LOG_LEVELS.indexOf(this.level);
  }

  /** A logger for a sub-component, optionally at another level. */
  child(component: string, level?: LogLevel): Logger {
    return new Logger({ level: level ?? this.level, component, sink: this.sink });
  }

  /** True when a message at `level` would be written. */
  enabled(level: Exclude<LogLevel, "off">): boolean {
    return LOG_LEVELS.indexOf(level) <= this.#rank;
  }

  error(msg: string): void {
    this.#log("error", msg);
  }
  warn(msg: string): void {
    this.#log("warn", msg);
  }
  info(msg: string): void {
    this.#log("info", msg);
  }
  debug(msg: string): void {
    this.#log("debug", msg);
  }
  trace(msg: string): void {
    this.#log("trace", msg);
  }

  /** Logs `msg` only the first time `key` is seen by this logger (malformed-input samples). */
  once(level: Exclude<LogLevel, "off">, key: string, msg: string): void {
    if (this.#once.has(key)) return;
    this.#once.add(key);
    this.#log(level, msg);
  }

  #log(level: Exclude<LogLevel, "off">, msg: string): void {
    if (!this.enabled(level)) return;
    logCounts[level]++;
    this.sink.write(`[${stamp(new Date())}] [${LABELS[level]}] [${this.component}] ${msg}\n`);
    this.sink.entry?.(level, this.component, msg);
  }
}
