/** The syslog output's option table: Fluent Bit's `out_syslog` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { netClientOptions, tlsClientOptions } from "../../../src/net/options.ts";

/** The transports of Fluent Bit's syslog output (`tls` frames like `tcp`). */
export const SYSLOG_OUTPUT_MODES = ["udp", "tcp", "tls"] as const;
/** The message formats. */
export const SYSLOG_FORMATS = ["rfc5424", "rfc3164"] as const;
/** The stream framings of RFC 6587 (TCP and TLS only). */
export const SYSLOG_FRAMINGS = ["newline", "octet_counting"] as const;

function range(low: number, high: number): (v: number) => string | undefined {
  return (v) => v >= low && v <= high ? undefined : `expected ${low}-${high}, got ${v}`;
}

/** The keys that shape each message, shared by the formatter and its tests. */
export const syslogFormatOptions = {
  syslog_format: opt.choice(SYSLOG_FORMATS, "rfc5424", "Message format: rfc5424 or rfc3164"),
  syslog_maxsize: opt.size(
    0,
    "Longest message in bytes, longer ones are cut; 0 is 2048 for rfc5424, 1024 for rfc3164",
  ),
  syslog_framing: opt.choice(
    SYSLOG_FRAMINGS,
    "newline",
    "TCP/TLS framing (RFC 6587): newline ends each message with \\n, octet_counting " +
      'prefixes its length ("LEN "); sluice addition, Fluent Bit 4.2 always uses newline',
  ),
  syslog_severity_key: opt.string(
    undefined,
    "Record key holding the severity: 0-7 or a name (emerg alert crit err warning notice " +
      "info debug)",
  ),
  syslog_severity_preset: opt.int(6, "Severity when the record has none (0-7)", {
    check: range(0, 7),
  }),
  syslog_facility_key: opt.string(
    undefined,
    "Record key holding the facility: 0-23 or a name (kern user mail daemon auth syslog lpr " +
      "news uucp cron authpriv ftp ntp security console local0-local7)",
  ),
  syslog_facility_preset: opt.int(1, "Facility when the record has none (0-23)", {
    check: range(0, 23),
  }),
  syslog_hostname_key: opt.string(undefined, "Record key holding the HOSTNAME"),
  syslog_hostname_preset: opt.string(undefined, "HOSTNAME when the record has none"),
  syslog_appname_key: opt.string(undefined, "Record key holding the APP-NAME (rfc3164: the TAG)"),
  syslog_appname_preset: opt.string(undefined, "APP-NAME when the record has none"),
  syslog_procid_key: opt.string(undefined, "Record key holding the PROCID"),
  syslog_procid_preset: opt.string(undefined, "PROCID when the record has none"),
  syslog_msgid_key: opt.string(undefined, "Record key holding the MSGID (rfc5424 only)"),
  syslog_msgid_preset: opt.string(undefined, "MSGID when the record has none"),
  syslog_sd_key: opt.multi(
    "Record key whose map value becomes a STRUCTURED-DATA element named after the key " +
      "(rfc5424 only); may repeat",
  ),
  syslog_message_key: opt.string(
    undefined,
    "Record key holding the MSG; without it messages carry no MSG",
  ),
  allow_longer_sd_id: opt.bool(
    false,
    "Keep SD-IDs and parameter names longer than RFC 5424's 32 characters",
  ),
} satisfies OptionTable;

/** Parsed formatting options. */
export type SyslogFormatOptions = OptionValues<typeof syslogFormatOptions>;

/** Every key of Fluent Bit's syslog output besides the common output keys. */
export const syslogOutputOptions = {
  host: opt.string("127.0.0.1", "IP address or host name of the syslog server"),
  port: opt.int(514, "Port of the syslog server", { check: range(1, 65535) }),
  mode: opt.choice(
    SYSLOG_OUTPUT_MODES,
    "udp",
    "Transport: udp, tcp or tls (tls frames like tcp; encryption needs tls on)",
  ),
  ...syslogFormatOptions,
  ...tlsClientOptions,
  "net.connect_timeout": netClientOptions["net.connect_timeout"],
} satisfies OptionTable;

/** Parsed syslog output options. */
export type SyslogOutputOptions = OptionValues<typeof syslogOutputOptions>;
