/**
 * EventTime: a timestamp exact to the nanosecond, kept as two integers the way
 * msgpack's EventTime extension (type 0) carries it. Never a float.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const t = EventTime.fromMillis(1_700_000_000_123);
 * assertEquals([t.sec, t.nsec], [1700000000, 123000000]);
 * ```
 */
export class EventTime {
  /** Whole seconds since the Unix epoch (may be negative for group markers). */
  readonly sec: number;
  /** Nanoseconds within the second, 0..999_999_999. */
  readonly nsec: number;

  /** Builds a time from whole seconds and nanoseconds; throws RangeError when out of range. */
  constructor(sec: number, nsec = 0) {
    if (!Number.isInteger(sec) || !Number.isInteger(nsec) || nsec < 0 || nsec > 999_999_999) {
      throw new RangeError(`Cannot build EventTime: expected integers, got ${sec}.${nsec}`);
    }
    this.sec = sec;
    this.nsec = nsec;
  }

  /** The current wall-clock time; the sub-millisecond part comes from the monotonic clock. */
  static now(): EventTime {
    const ms = performance.timeOrigin + performance.now();
    return EventTime.fromMillis(ms);
  }

  /** From milliseconds (a float is allowed: its fraction becomes nanoseconds). */
  static fromMillis(ms: number): EventTime {
    const sec = Math.floor(ms / 1000);
    const nsec = Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6));
    return new EventTime(sec, nsec);
  }

  /** From a float of seconds, as the v1 forward format writes it. */
  static fromSeconds(s: number): EventTime {
    const sec = Math.floor(s);
    const nsec = Math.min(999_999_999, Math.round((s - sec) * 1e9));
    return new EventTime(sec, nsec);
  }

  /** From a bigint of epoch nanoseconds (OTLP's fixed64 timestamps). */
  static fromNanos(ns: bigint): EventTime {
    const sec = ns / 1_000_000_000n;
    const nsec = ns % 1_000_000_000n;
    return nsec < 0n
      ? new EventTime(Number(sec) - 1, Number(nsec + 1_000_000_000n))
      : new EventTime(Number(sec), Number(nsec));
  }

  /** Epoch nanoseconds as a bigint: exact, unlike a JS number. */
  toNanos(): bigint {
    return BigInt(this.sec) * 1_000_000_000n + BigInt(this.nsec);
  }

  /** Seconds as a float, for formats that want one (json_date_format double). */
  toSeconds(): number {
    return this.sec + this.nsec / 1e9;
  }

  /** Milliseconds as a float (loses sub-microsecond precision). */
  toMillis(): number {
    return this.sec * 1000 + this.nsec / 1e6;
  }

  /** ISO 8601 in UTC with nanoseconds: `2024-01-02T03:04:05.123456789Z`. */
  toISOString(digits = 9): string {
    const base = new Date(this.sec * 1000).toISOString().slice(0, 19);
    if (digits <= 0) return `${base}Z`;
    const frac = String(this.nsec).padStart(9, "0").slice(0, digits);
    return `${base}.${frac}Z`;
  }

  /** Negative when this is earlier than `other`, 0 when equal. */
  compare(other: EventTime): number {
    return this.sec !== other.sec ? this.sec - other.sec : this.nsec - other.nsec;
  }

  /** Whether `other` is the same instant. */
  equals(other: EventTime): boolean {
    return this.sec === other.sec && this.nsec === other.nsec;
  }
}
