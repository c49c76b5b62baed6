/**
 * `time_format`: strptime as Fluent Bit runs it, compiled once per format into a list
 * of steps, plus `%L` (fractional seconds, any number of digits), `time_offset`,
 * `time_zone` and `time_system_timezone`. The result is an exact EventTime.
 */
import { EventTime } from "../event/event_time.ts";
import { MONTHS, WEEKDAYS, ZONE_ABBREVIATIONS } from "./time_names.ts";
import {
  CENT,
  compileSteps,
  DAY,
  HOUR,
  isDigit,
  isSpace,
  K,
  matchName,
  MIN,
  MONTH,
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
 * compileTimeFormat("%d/%b/%Y:%H:%M:%S %z").parse("29/Jul/2015:10:27:10 -0300")?.sec; // 1438176430
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
  readonly #f = new Float64Array(10);
  #today = { day: Number.NaN, date: { year: 1970, month: 1, day: 1 } };

  constructor(format: string, steps: Step[], zone: Zone, options: TimeFormatOptions) {
    this.format = format;
    this.#steps = steps;
    this.#zone = zone;
    this.#strict = options.strict ?? true;
    this.#now = options.now ?? Date.now;
  }

  parse(text: string): EventTime | null {
    const f = this.#f;
    f.fill(Number.NaN);
    let nanos = 0, offset = Number.NaN, epoch = Number.NaN, pm = -1, any = false;
    const len = text.length;
    let i = 0;
    let ok = true;
    for (const s of this.#steps) {
      if (s.k === K.Space) {
        while (i < len && isSpace(text.charCodeAt(i))) i++;
        continue;
      }
      if (i >= len) {
        ok = false;
        break;
      }
      const c = text.charCodeAt(i);
      let next = -1;
      switch (s.k) {
        case K.Lit:
          if (c === s.v) next = i + 1;
          break;
        case K.UtcZ:
          if (c === 90) {
            next = i + 1;
            offset = 0;
          }
          break;
        case K.Num: {
          let j = i;
          if (s.pad && isSpace(c)) j++;
          let n = 0, lim = s.max, digits = 0;
          while (j < len && isDigit(text.charCodeAt(j))) {
            n = n * 10 + text.charCodeAt(j++) - 48;
            digits++;
            lim = Math.floor(lim / 10);
            if (n * 10 > s.max || lim === 0) break;
          }
          if (digits > 0 && n >= s.min && n <= s.max) {
            f[s.v] = n;
            next = j;
          }
          break;
        }
        case K.Month:
        case K.Weekday: {
          const names = s.k === K.Month ? MONTHS : WEEKDAYS;
          for (let m = 0; m < names.length && next < 0; m++) {
            const n = matchName(text, i, names[m]);
            if (n > 0) {
              next = i + n;
              if (s.k === K.Month) f[MONTH] = m + 1;
            }
          }
          break;
        }
        case K.AmPm: {
          const a = c | 0x20, b = text.charCodeAt(i + 1) | 0x20;
          if ((a === 97 || a === 112) && b === 109) {
            pm = a === 112 ? 1 : 0;
            next = i + 2;
          }
          break;
        }
        case K.Frac: {
          let j = i, scale = 100_000_000;
          nanos = 0;
          while (j < len && isDigit(text.charCodeAt(j))) {
            nanos += (text.charCodeAt(j++) - 48) * scale;
            scale = Math.floor(scale / 10);
          }
          if (j > i) next = j;
          break;
        }
        case K.Offset:
          next = readOffset(text, i);
          if (next >= 0) offset = readOffsetValue;
          break;
        case K.ZoneName: {
          let j = i;
          while (j < len && ((text.charCodeAt(j) | 0x20) - 97) >>> 0 < 26) j++;
          const off = ZONE_ABBREVIATIONS.get(text.slice(i, j).toUpperCase());
          if (off !== undefined && !isDigit(text.charCodeAt(j))) {
            next = j;
            offset = off;
          }
          break;
        }
        case K.Epoch: {
          let j = i;
          while (j < len && isDigit(text.charCodeAt(j))) j++;
          if (j > i && j - i <= 15) {
            next = j;
            epoch = Number(text.slice(i, j));
            offset = 0;
          }
          break;
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
    if (!Number.isNaN(epoch)) return new EventTime(epoch, nanos);
    return this.#assemble(f, pm, offset, nanos);
  }

  #assemble(f: Float64Array, pm: number, offset: number, nanos: number): EventTime | null {
    let year = f[YEAR], month = f[MONTH], day = f[DAY];
    if (Number.isNaN(year) && !Number.isNaN(f[REL])) {
      const rel = f[REL];
      year = Number.isNaN(f[CENT]) ? (rel <= 68 ? 2000 + rel : 1900 + rel) : f[CENT] * 100 + rel;
    }
    if (Number.isNaN(year)) {
      const today = this.#todayInZone(offset);
      year = today.year;
      if (Number.isNaN(month) && Number.isNaN(f[YDAY])) month = today.month;
      if (Number.isNaN(day) && Number.isNaN(f[YDAY])) day = today.day;
    }
    if (Number.isNaN(month) && Number.isNaN(day) && !Number.isNaN(f[YDAY])) {
      [month, day] = [1, f[YDAY]];
    }
    let hour = Number.isNaN(f[HOUR]) ? 0 : f[HOUR];
    if (pm >= 0) {
      if (hour > 12) return null;
      hour = pm === 1 ? (hour < 12 ? hour + 12 : hour) : (hour === 12 ? 0 : hour);
    }
    const days = daysFromCivil(year, Number.isNaN(month) ? 1 : month, Number.isNaN(day) ? 1 : day);
    const local = days * 86400 + hour * 3600 + (Number.isNaN(f[MIN]) ? 0 : f[MIN]) * 60 +
      (Number.isNaN(f[SEC]) ? 0 : f[SEC]);
    const sec = Number.isNaN(offset) ? this.#zone.toEpoch(local) : local - offset;
    return new EventTime(sec, nanos);
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
