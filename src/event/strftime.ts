/**
 * strftime in UTC for index names and time keys (`%Y.%m.%d`, `%Y-%m-%dT%H:%M:%S`), with the
 * conversions C's strftime gives in the C locale. An unknown conversion is kept as written.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(strftimeUtc("logstash-%Y.%m.%d", 1_700_000_000), "logstash-2023.11.14");
 * assertEquals(strftimeUtc("%H:%M:%S %j %%", 1_700_000_000), "22:13:20 318 %");
 * ```
 */

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const pad = (n: number, width = 2, fill = "0") => String(n).padStart(width, fill);

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

function conversion(c: string, d: Date, sec: number): string | undefined {
  switch (c) {
    case "Y":
      return String(d.getUTCFullYear());
    case "y":
      return pad(d.getUTCFullYear() % 100);
    case "C":
      return pad(Math.floor(d.getUTCFullYear() / 100));
    case "m":
      return pad(d.getUTCMonth() + 1);
    case "d":
      return pad(d.getUTCDate());
    case "e":
      return pad(d.getUTCDate(), 2, " ");
    case "H":
      return pad(d.getUTCHours());
    case "I":
      return pad(d.getUTCHours() % 12 || 12);
    case "M":
      return pad(d.getUTCMinutes());
    case "S":
      return pad(d.getUTCSeconds());
    case "j":
      return pad(dayOfYear(d), 3);
    case "a":
      return DAYS[d.getUTCDay()]!.slice(0, 3);
    case "A":
      return DAYS[d.getUTCDay()]!;
    case "b":
    case "h":
      return MONTHS[d.getUTCMonth()]!.slice(0, 3);
    case "B":
      return MONTHS[d.getUTCMonth()]!;
    case "p":
      return d.getUTCHours() < 12 ? "AM" : "PM";
    case "u":
      return String(d.getUTCDay() || 7);
    case "w":
      return String(d.getUTCDay());
    case "s":
      return String(sec);
    case "z":
      return "+0000";
    case "Z":
      return "UTC";
    case "F":
      return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    case "T":
      return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    case "D":
      return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)}`;
    case "R":
      return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    case "n":
      return "\n";
    case "t":
      return "\t";
    case "%":
      return "%";
    default:
      return undefined;
  }
}

/** `format` expanded for `sec` (epoch seconds) in UTC. */
export function strftimeUtc(format: string, sec: number): string {
  if (format.indexOf("%") === -1) return format;
  const d = new Date(sec * 1000);
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== "%" || i + 1 >= format.length) {
      out += ch;
      continue;
    }
    const c = format[++i]!;
    out += conversion(c, d, sec) ?? `%${c}`;
  }
  return out;
}

/**
 * A cached {@link strftimeUtc} for one format: the records of a chunk mostly share their
 * second, so the text is made once per distinct second.
 */
export function strftimeCache(format: string): (sec: number) => string {
  if (format.indexOf("%") === -1) return () => format;
  let lastSec = Number.NaN;
  let last = "";
  return (sec: number) => {
    if (sec !== lastSec) {
      lastSec = sec;
      last = strftimeUtc(format, sec);
    }
    return last;
  };
}
