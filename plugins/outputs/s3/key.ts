/**
 * S3 object keys as Fluent Bit's flb_get_s3_key makes them from `s3_key_format`: `$TAG`,
 * `$TAG[n]` (parts split by `s3_key_format_tag_delimiters`), `$INDEX` (a sequence number
 * kept in the store), `$UUID` (8 random characters), then strftime on the time of the
 * first record, in UTC.
 */

const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `n` random letters and digits. */
export function randomAlnum(n = 8): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  let out = "";
  for (const b of bytes) out += ALNUM[b % ALNUM.length];
  return out;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/**
 * `format` with its strftime conversions filled for `date` in UTC (the common ones: %Y %y %m
 * %d %e %H %I %M %S %p %j %a %b %s %F %T %Z %z %%; others are left as written).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(strftimeUtc("%Y/%m/%d %H:%M:%S %j", new Date("2026-03-04T05:06:07Z")), "2026/03/04 05:06:07 063");
 * ```
 */
export function strftimeUtc(format: string, date: Date): string {
  return format.replace(/%([a-zA-Z%])/g, (whole, c: string) => {
    switch (c) {
      case "Y":
        return String(date.getUTCFullYear());
      case "y":
        return pad(date.getUTCFullYear() % 100);
      case "m":
        return pad(date.getUTCMonth() + 1);
      case "d":
        return pad(date.getUTCDate());
      case "e":
        return String(date.getUTCDate()).padStart(2, " ");
      case "H":
        return pad(date.getUTCHours());
      case "I":
        return pad((date.getUTCHours() + 11) % 12 + 1);
      case "p":
        return date.getUTCHours() < 12 ? "AM" : "PM";
      case "M":
        return pad(date.getUTCMinutes());
      case "S":
        return pad(date.getUTCSeconds());
      case "j": {
        const start = Date.UTC(date.getUTCFullYear(), 0, 1);
        return pad(Math.floor((date.getTime() - start) / 86_400_000) + 1, 3);
      }
      case "a":
        return DAYS[date.getUTCDay()]!;
      case "b":
      case "h":
        return MONTHS[date.getUTCMonth()]!;
      case "s":
        return String(Math.floor(date.getTime() / 1000));
      case "F":
        return strftimeUtc("%Y-%m-%d", date);
      case "T":
        return strftimeUtc("%H:%M:%S", date);
      case "Z":
        return "UTC";
      case "z":
        return "+0000";
      case "%":
        return "%";
      default:
        return whole;
    }
  });
}

/** What a key is made of besides the format. */
export interface KeyInputs {
  /** The tag of the records. */
  tag: string;
  /** Time of the first record. */
  time: Date;
  /** `s3_key_format_tag_delimiters`. */
  delimiters: string;
  /** The `$INDEX` value. */
  index: number;
}

/**
 * The key of `format` for `inputs`; throws RangeError for a `$TAG[n]` past the tag's parts.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const key = s3Key("/logs/$TAG[1]/$TAG/%Y%m%d-$INDEX", {
 *   tag: "app.web",
 *   time: new Date("2026-01-02T00:00:00Z"),
 *   delimiters: ".",
 *   index: 7,
 * });
 * assertEquals(key, "/logs/web/app.web/20260102-7");
 * ```
 */
export function s3Key(format: string, inputs: KeyInputs): string {
  const split = new RegExp(`[${inputs.delimiters.replace(/[\\\]^-]/g, "\\$&")}]`);
  const parts = inputs.delimiters === "" ? [inputs.tag] : inputs.tag.split(split);
  let key = format.replace(/\$TAG\[(\d+)\]/g, (_, n: string) => {
    const part = parts[Number(n)];
    if (part === undefined) {
      throw new RangeError(
        `Cannot make the S3 key: $TAG[${n}] is past the parts of tag ${JSON.stringify(inputs.tag)}`,
      );
    }
    return part;
  });
  key = key.replaceAll("$TAG", inputs.tag).replaceAll("$INDEX", String(inputs.index));
  key = key.replaceAll("$UUID", randomAlnum(8));
  return strftimeUtc(key, inputs.time);
}
