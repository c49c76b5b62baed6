/**
 * `time_format`: strptime as Fluent Bit runs it, compiled once per format into a list
 * of steps, plus `%L` (fractional seconds, any number of digits), `time_offset`,
 * `time_zone` and `time_system_timezone`. The result is an exact EventTime.
 */
import { EventTime } from "../event/event_time.ts";
import { ZONE_ABBREVIATIONS } from "./time_names.ts";
import {
  CENT,
  compileSteps,
  DAY,
  HOUR,
  isDigit,
  isSpace,
  K,
  MIN,
  MONTH,
  readName,
  readOffset,
  readOffsetValue,
  REL,
  SEC,
  type Step,
  YDAY,
  YEAR,
} from "./time_steps.ts";
import {
  civilFromDays,
  daysFromCivil,
  fixedZone,
  ianaZone,
  parseUtcOffset,
  systemTimeZone,
  type Zone,
} from "./zone.ts";

/** How times without a zone of their own are read, and how strictly. */
export interface TimeFormatOptions {
  /** `time_offset`: a fixed offset like `+0200` for times without a zone. */
  offset?: string;
  /** `time_zone`: an IANA zone for times without a zone. */
  zone?: string;
  /** `time_system_timezone`: the process's zone for times without a zone. */
  systemTimezone?: boolean;
  /** `time_strict` (default true); when false a time matching only partly is accepted. */
  strict?: boolean;
  /** The clock (epoch milliseconds) that fills in a missing year; `Date.now` by default. */
  now?: () => number;
}

/** A compiled time format. */
export interface TimeFormat {
  readonly format: string;
  /** The time `text` denotes, or null when it does not match the format. */
  parse(text: string): EventTime | null;
}

function pickZone(options: TimeFormatOptions, fmt: string): Zone {
  const bad = (why: string) =>
    new SyntaxError(`Cannot use time_format ${JSON.stringify(fmt)}: ${why}`);
  if (options.zone !== undefined) {
    if (options.systemTimezone) throw bad("time_zone and time_system_timezone exclude each other");
    if (options.offset !== undefined) throw bad("time_zone and time_offset exclude each other");
    try {
      return ianaZone(options.zone);
    } catch {
      throw bad(`unknown time_zone ${JSON.stringify(options.zone)}`);
    }
  }
  if (options.systemTimezone) {
    const name = systemTimeZone();
    return name === "UTC" || name === "Etc/UTC" ? fixedZone(0) : ianaZone(name);
  }
  if (options.offset !== undefined) {
    const off = parseUtcOffset(options.offset.trim());
    if (off === null) {
      throw bad(`time_offset ${JSON.stringify(options.offset)} is not like +0200 or -07:00`);
    }
    return fixedZone(off);
  }
  return fixedZone(0);
}

/**
 * Compiles a strptime format. Throws SyntaxError on an unknown directive, a bad
 * `time_offset`, an unknown `time_zone`, or conflicting zone options.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const format = compileTimeFormat("%d/%b/%Y:%H:%M:%S %z");
 * assertEquals(format.parse("29/Jul/2015:10:27:10 -0300")?.sec, 1438176430);
 * ```
 */
export function compileTimeFormat(format: string, options: TimeFormatOptions = {}): TimeFormat {
  const steps: Step[] = [];
  compileSteps(format, steps, format);
  const zone = pickZone(options, format);
  return new CompiledTimeFormat(format, steps, zone, options);
}

class CompiledTimeFormat implements TimeFormat {
  readonly format: string;
  readonly #steps: Step[];
  readonly #zone: Zone;
  readonly #strict: boolean;
  readonly #now: () => number;
  #today = { day: Number.NaN, date: { year: 1970, month: 1, day: 1 } };
  /** The last text parsed and its time: consecutive log lines often share a timestamp. */
  #lastText = "";
  #lastTime: EventTime | null = null;

  constructor(format: string, steps: Step[], zone: Zone, options: TimeFormatOptions) {
    this.format = format;
    this.#steps = steps;
    this.#zone = zone;
    this.#strict = options.strict ?? true;
    this.#now = options.now ?? Date.now;
  }

  parse(text: string): EventTime | null {
    if (text === this.#lastText) return this.#lastTime;
    const time = this.#read(text);
    this.#lastText = text;
    this.#lastTime = time;
    return time;
  }

  #read(text: string): EventTime | null {
    // Fields read so far; -1 while unset. Plain locals keep this loop allocation-free.
    let year = -1, month = -1, day = -1, hour = -1, min = -1, sec = -1, yday = -1;
    let rel = -1, cent = -1, nanos = 0, offset = 0, zoned = false, epoch = -1, pm = -1;
    let any = false, ok = true;
    const len = text.length;
    const steps = this.#steps;
    let i = 0;
    for (let si = 0; si < steps.length; si++) {
      const s = steps[si]!;
      const kind = s.k;
      if (kind === K.Space) {
        while (i < len && isSpace(text.charCodeAt(i))) i++;
        continue;
      }
      if (i >= len) {
        ok = false;
        break;
      }
      const c = text.charCodeAt(i);
      let next = -1;
      if (kind === K.Num) {
        let j = i;
        if (s.pad && isSpace(c)) j++;
        let n = 0, digits = 0;
        while (digits < s.digits && j < len) {
          const d = text.charCodeAt(j) - 48;
          if (d < 0 || d > 9) break;
          n = n * 10 + d;
          j++;
          digits++;
          if (n * 10 > s.max) break;
        }
        if (digits > 0 && n >= s.min && n <= s.max) {
          next = j;
          switch (s.v) {
            case YEAR:
              year = n;
              break;
            case MONTH:
              month = n;
              break;
            case DAY:
              day = n;
              break;
            case HOUR:
              hour = n;
              break;
            case MIN:
              min = n;
              break;
            case SEC:
              sec = n;
              break;
            case YDAY:
              yday = n;
              break;
            case REL:
              rel = n;
              break;
            case CENT:
              cent = n;
              break;
          }
        }
      } else if (kind === K.Lit) {
        if (c === s.v) next = i + 1;
      } else if (kind === K.Month || kind === K.Weekday) {
        const r = readName(text, i, kind === K.Month);
        if (r >= 0) {
          next = i + (r & 15);
          if (kind === K.Month) month = (r >> 4) + 1;
        }
      } else if (kind === K.Frac) {
        let j = i, scale = 100_000_000;
        nanos = 0;
        while (j < len) {
          const d = text.charCodeAt(j) - 48;
          if (d < 0 || d > 9) break;
          nanos += d * scale;
          scale = (scale / 10) | 0;
          j++;
        }
        if (j > i) next = j;
      } else if (kind === K.Offset) {
        next = readOffset(text, i);
        if (next >= 0) {
          offset = readOffsetValue;
          zoned = true;
        }
      } else if (kind === K.UtcZ) {
        if (c === 90) {
          next = i + 1;
          offset = 0;
          zoned = true;
        }
      } else if (kind === K.AmPm) {
        const a = c | 0x20, b = text.charCodeAt(i + 1) | 0x20;
        if ((a === 97 || a === 112) && b === 109) {
          pm = a === 112 ? 1 : 0;
          next = i + 2;
        }
      } else if (kind === K.ZoneName) {
        let j = i;
        while (j < len && ((text.charCodeAt(j) | 0x20) - 97) >>> 0 < 26) j++;
        const off = ZONE_ABBREVIATIONS.get(text.slice(i, j).toUpperCase());
        if (off !== undefined && !isDigit(text.charCodeAt(j))) {
          next = j;
          offset = off;
          zoned = true;
        }
      } else if (kind === K.Epoch) {
        let j = i;
        while (j < len && isDigit(text.charCodeAt(j))) j++;
        if (j > i && j - i <= 15) {
          next = j;
          epoch = Number(text.slice(i, j));
        }
      }
      if (next < 0) {
        ok = false;
        break;
      }
      i = next;
      any = true;
    }
    if (!ok && (this.#strict || !any)) return null;
    if (epoch >= 0) return new EventTime(epoch, nanos);
    if (year < 0 && rel >= 0) {
      year = cent >= 0 ? cent * 100 + rel : rel <= 68 ? 2000 + rel : 1900 + rel;
    }
    if (year < 0) {
      const today = this.#todayInZone(zoned ? offset : Number.NaN);
      year = today.year;
      if (month < 0 && yday < 0) month = today.month;
      if (day < 0 && yday < 0) day = today.day;
    }
    if (month < 0 && day < 0 && yday >= 0) {
      month = 1;
      day = yday;
    }
    if (hour < 0) hour = 0;
    if (pm >= 0) {
      if (hour > 12) return null;
      hour = pm === 1 ? (hour < 12 ? hour + 12 : hour) : (hour === 12 ? 0 : hour);
    }
    const days = daysFromCivil(year, month < 0 ? 1 : month, day < 0 ? 1 : day);
    const local = days * 86400 + hour * 3600 + (min < 0 ? 0 : min) * 60 + (sec < 0 ? 0 : sec);
    const at = zoned ? local - offset : this.#zone.toEpoch(local);
    // Keep the common case an int32 so EventTime's fields stay small integers.
    return new EventTime(at >= -2147483648 && at <= 2147483647 ? at | 0 : at, nanos);
  }

  /** Today's date where the time is read: for a year-less format, Fluent Bit uses the current year. */
  #todayInZone(offset: number): { year: number; month: number; day: number } {
    const nowSec = Math.floor(this.#now() / 1000);
    const off = Number.isNaN(offset) ? this.#zone.offsetAt(nowSec) : offset;
    const day = Math.floor((nowSec + off) / 86400);
    if (this.#today.day !== day) this.#today = { day, date: civilFromDays(day) };
    return this.#today.date;
  }
}
