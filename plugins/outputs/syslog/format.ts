/**
 * One record to one syslog message, byte for byte as Fluent Bit 4.2's `out_syslog`
 * builds it (plugins/out_syslog/syslog.c): RFC 5424 or RFC 3164 header from record keys
 * and presets, UTC time, the message cut to `syslog_maxsize` bytes, then the framing of
 * the transport (none per datagram; `\n` or an RFC 6587 octet count on a stream).
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { ByteBuilder } from "./byte_builder.ts";
import type { SyslogFormatOptions } from "./options.ts";
import { appendSdElement } from "./structured_data.ts";
import { facilityOf, isMap, scalarText, severityOf, type Text } from "./values.ts";

/** How messages travel: one per datagram (no framing), or on a byte stream. */
export type SyslogTransport = "datagram" | "stream";

/** What the formatter needs besides the options. */
export interface FormatterSettings {
  /** Datagram messages are sent as they are; stream ones get `syslog_framing`. */
  transport: SyslogTransport;
  /** Told about a severity or facility value that names none (the preset is used). */
  onInvalid?(key: "severity" | "facility", value: string): void;
}

/** Formats one record; the bytes are valid until the next call. */
export type SyslogFormatter = (record: LogRecord) => Uint8Array;

const RFC5424_MAXSIZE = 2048;
const RFC3164_MAXSIZE = 1024;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const LT = 0x3c;
const SPACE = 0x20;
const DASH = 0x2d;
const NEWLINE = 0x0a;

/** The header fields of one message, each from its key or its preset. */
interface Fields {
  severity: number;
  facility: number;
  hostname?: Text;
  appname?: Text;
  procid?: Text;
  msgid?: Text;
  message?: Text;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The record keys each field is read from. As in Fluent Bit, a key configured for two
 * fields serves only the first of severity, facility, hostname, appname, procid, msgid,
 * message.
 */
function fieldKeys(o: SyslogFormatOptions): (string | undefined)[] {
  const keys = [
    o.syslog_severity_key,
    o.syslog_facility_key,
    o.syslog_hostname_key,
    o.syslog_appname_key,
    o.syslog_procid_key,
    o.syslog_msgid_key,
    o.syslog_message_key,
  ];
  return keys.map((k, i) => k !== undefined && keys.indexOf(k) === i ? k : undefined);
}

/**
 * The formatter for `options` (`syslog_*` keys) on a transport.
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { EventTime } from "../../../src/event/event_time.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { syslogFormatOptions } from "./options.ts";
 *
 * const format = syslogFormatter(
 *   { ...defaultsOf(syslogFormatOptions), syslog_message_key: "msg" },
 *   { transport: "stream" },
 * );
 * const line = format({ time: new EventTime(1700000000, 0), metadata: {}, body: { msg: "hi" } });
 * assertEquals(
 *   new TextDecoder().decode(line),
 *   "<14>1 2023-11-14T22:13:20.000000Z - - - - - \uFEFFhi\n",
 * );
 * ```
 */
export function syslogFormatter(
  options: SyslogFormatOptions,
  settings: FormatterSettings,
): SyslogFormatter {
  const rfc3164 = options.syslog_format === "rfc3164";
  const maxSize = options.syslog_maxsize > 0
    ? options.syslog_maxsize
    : rfc3164
    ? RFC3164_MAXSIZE
    : RFC5424_MAXSIZE;
  const framing = settings.transport === "datagram" ? "none" : options.syslog_framing;
  const [sevKey, facKey, hostKey, appKey, procKey, msgidKey, msgKey] = fieldKeys(options);
  const sdKeys = options.syslog_sd_key;
  const sdKeySet = new Set(sdKeys);
  const sdOptions = { allowLongNames: options.allow_longer_sd_id };
  const out = new ByteBuilder();
  const framed = new ByteBuilder();
  let cachedSec = Number.NaN;
  let cachedTime = "";

  function text(body: Record<string, unknown>, key: string | undefined): Text | undefined {
    return key === undefined ? undefined : scalarText(body[key]);
  }

  function fields(body: Record<string, unknown>): Fields {
    const f: Fields = {
      severity: options.syslog_severity_preset,
      facility: options.syslog_facility_preset,
      hostname: text(body, hostKey) ?? options.syslog_hostname_preset,
      appname: text(body, appKey) ?? options.syslog_appname_preset,
      procid: text(body, procKey) ?? options.syslog_procid_preset,
      msgid: text(body, msgidKey) ?? options.syslog_msgid_preset,
      message: text(body, msgKey),
    };
    const sev = text(body, sevKey);
    if (sev !== undefined) {
      const n = severityOf(sev);
      if (n === undefined) settings.onInvalid?.("severity", String(sev));
      else f.severity = n;
    }
    const fac = text(body, facKey);
    if (fac !== undefined) {
      const n = facilityOf(fac);
      if (n === undefined) settings.onInvalid?.("facility", String(fac));
      else f.facility = n;
    }
    return f;
  }

  /** `YYYY-MM-DDThh:mm:ss` (rfc5424) or `Mmm dd hh:mm:ss` (rfc3164), UTC, one per second. */
  function timeText(sec: number): string {
    if (sec === cachedSec) return cachedTime;
    const d = new Date(sec * 1000);
    const clock = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    const day = d.getUTCDate();
    cachedTime = rfc3164
      ? `${MONTHS[d.getUTCMonth()]} ${day < 10 ? " " : ""}${day} ${clock}`
      : `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(day)}T${clock}`;
    cachedSec = sec;
    return cachedTime;
  }

  function field(value: Text | undefined, max: number): void {
    if (value === undefined) out.byte(DASH);
    else out.append(value, max);
    out.byte(SPACE);
  }

  function structuredData(body: Record<string, unknown>): void {
    const start = out.length;
    if (sdKeys.length === 1) {
      const value = body[sdKeys[0]!];
      if (isMap(value)) appendSdElement(out, { id: sdKeys[0]!, params: value }, sdOptions);
    } else if (sdKeys.length > 1) {
      // Elements in the record's key order, as Fluent Bit walks the record.
      for (const key in body) {
        const value = body[key];
        if (sdKeySet.has(key) && isMap(value)) {
          appendSdElement(out, { id: key, params: value }, sdOptions);
        }
      }
    }
    if (out.length === start) out.byte(DASH);
  }

  function rfc5424(f: Fields, time: EventTime, body: Record<string, unknown>): void {
    const micros = String(Math.floor(time.nsec / 1000)).padStart(6, "0");
    out.text(`<${f.facility * 8 + f.severity}>1 ${timeText(time.sec)}.${micros}Z `);
    field(f.hostname, 255);
    field(f.appname, 48);
    field(f.procid, 128);
    field(f.msgid, 32);
    structuredData(body);
    if (f.message !== undefined) {
      out.byte(SPACE);
      out.append(BOM);
      out.append(f.message);
    }
  }

  function rfc3164Line(f: Fields, time: EventTime): void {
    out.text(`<${f.facility * 8 + f.severity}>${timeText(time.sec)} `);
    if (f.hostname !== undefined) {
      out.append(f.hostname);
      out.byte(SPACE);
    }
    if (f.appname !== undefined) {
      out.append(f.appname);
      if (f.procid !== undefined) {
        out.byte(0x5b);
        out.append(f.procid);
        out.byte(0x5d);
      }
      out.text(": ");
    }
    if (f.message !== undefined) out.append(f.message);
  }

  return function format(record: LogRecord): Uint8Array {
    out.reset();
    const f = fields(record.body);
    const message = f.message;
    const first = message === undefined
      ? -1
      : typeof message === "string"
      ? message.charCodeAt(0)
      : message[0];
    // A message that already starts like a syslog header is sent as it is.
    if (first === LT) out.append(message!);
    else if (rfc3164) rfc3164Line(f, record.time);
    else rfc5424(f, record.time, record.body);
    out.truncate(maxSize);
    if (framing === "none") return out.view();
    if (framing === "newline") {
      out.byte(NEWLINE);
      return out.view();
    }
    framed.reset();
    framed.text(`${out.length} `);
    framed.append(out.view());
    return framed.view();
  };
}
