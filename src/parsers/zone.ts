/**
 * Civil-time arithmetic and time zones for `time_format`: days from a calendar date,
 * fixed UTC offsets (`time_offset`, `%z`) and IANA zones (`time_zone`, the system zone)
 * through `Intl`, with offsets cached so a parser does not call `Intl` per line.
 */

/**
 * Days from 1970-01-01 to the given proleptic Gregorian date; months count from 1 and
 * days past the month's end roll over (Feb 30 is Mar 2 in a common year).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(daysFromCivil(2017, 7, 17), 17364);
 * ```
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A calendar date. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The UTC calendar date of a count of days since 1970-01-01. */
export function civilFromDays(days: number): CivilDate {
  const d = new Date(days * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * Parses a fixed UTC offset: `Z`, `+HH`, `+HHMM` or `+HH:MM` (sign required), into
 * seconds east of UTC; null when the text is not one.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseUtcOffset("-06:00"), -21600);
 * ```
 */
export function parseUtcOffset(text: string): number | null {
  if (text === "Z" || text === "z") return 0;
  const m = /^([+-])(\d\d)(?::?(\d\d))?$/.exec(text);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 23 || minutes > 59) return null;
  const secs = hours * 3600 + minutes * 60;
  return m[1] === "-" ? -secs : secs;
}

/** The zone this process runs in (`TZ`, else the system's), as an IANA name. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

/** Offsets of one time zone; all times are whole seconds. */
export interface Zone {
  readonly name: string;
  /** Seconds east of UTC in effect at `epochSec`. */
  offsetAt(epochSec: number): number;
  /**
   * The instant of a wall-clock time given as seconds since 1970-01-01 on the zone's
   * clock. A time skipped by a DST change moves forward; a repeated one takes the first.
   */
  toEpoch(localSec: number): number;
}

/** A zone with a constant offset (seconds east of UTC). */
export function fixedZone(offset: number): Zone {
  return {
    name: "fixed",
    offsetAt: () => offset,
    toEpoch: (local) => local - offset,
  };
}

/** Offsets repeat within these buckets: every real DST change falls on a quarter hour. */
const BUCKET_SECONDS = 900;
const CACHE_LIMIT = 4096;

/**
 * An IANA zone through `Intl`. Throws RangeError when the name is unknown.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(ianaZone("America/New_York").offsetAt(1500322623), -14400); // EDT, July 2017
 * ```
 */
export function ianaZone(name: string): Zone {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    throw new RangeError(`Unknown time zone ${JSON.stringify(name)}`);
  }
  const cache = new Map<number, number>();

  function compute(epochSec: number): number {
    const parts = format.formatToParts(new Date(epochSec * 1000));
    const f: Record<string, number> = {};
    for (const p of parts) if (p.type !== "literal") f[p.type] = Number(p.value);
    // formatToParts always yields these six parts for the options above.
    const local = daysFromCivil(f.year!, f.month!, f.day!) * 86400 + f.hour! * 3600 +
      f.minute! * 60 + f.second!;
    return local - epochSec;
  }

  function offsetAt(epochSec: number): number {
    const bucket = Math.floor(epochSec / BUCKET_SECONDS);
    let off = cache.get(bucket);
    if (off === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      off = compute(bucket * BUCKET_SECONDS);
      cache.set(bucket, off);
    }
    return off;
  }

  function toEpoch(local: number): number {
    // Try the offsets in effect a day either side: they bracket any DST change.
    const before = offsetAt(local - 86400);
    const after = offsetAt(local + 86400);
    const first = local - before;
    if (offsetAt(first) === before) return first;
    const second = local - after;
    if (offsetAt(second) === after) return second;
    return local - before; // in a gap: read with the offset before the change
  }

  return { name, offsetAt, toEpoch };
}
