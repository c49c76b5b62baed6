/**
 * The cases `tools/capture_syslog_vectors.ts` sends through Fluent Bit's syslog output:
 * each a record, its time and the output's keys (Fluent Bit's names).
 */

/** One formatting case: a record, its time, the output's keys. */
export interface Case {
  name: string;
  record: Record<string, unknown>;
  time: [number, number];
  options: Record<string, string | string[]>;
}

const T = [1700000000, 500000000] as [number, number];
const KEYS = {
  syslog_message_key: "msg",
  syslog_severity_key: "sev",
  syslog_facility_key: "fac",
  syslog_hostname_key: "host",
  syslog_appname_key: "app",
  syslog_procid_key: "pid",
  syslog_msgid_key: "mid",
};
const BASIC = { msg: "hello", sev: "err", host: "web1", app: "nginx", pid: 42 };

/** The cases, each name unique. */
export const CASES: Case[] = [
  { name: "rfc5424 udp keys", record: BASIC, time: T, options: { mode: "udp", ...KEYS } },
  { name: "rfc5424 tcp keys", record: BASIC, time: T, options: { mode: "tcp", ...KEYS } },
  {
    name: "rfc3164 tcp keys",
    record: BASIC,
    time: T,
    options: { mode: "tcp", syslog_format: "rfc3164", ...KEYS },
  },
  {
    name: "rfc3164 udp keys",
    record: BASIC,
    time: T,
    options: { mode: "udp", syslog_format: "rfc3164", ...KEYS },
  },
  {
    name: "rfc3164 space-padded day, no host",
    record: { msg: "m", app: "cron" },
    time: [1699056000, 123456789],
    options: { mode: "tcp", syslog_format: "rfc3164", ...KEYS },
  },
  {
    name: "rfc3164 message only",
    record: { msg: "only the message", pid: 7 },
    time: T,
    options: { mode: "tcp", syslog_format: "rfc3164", ...KEYS },
  },
  {
    name: "rfc3164 no message key",
    record: { host: "h1", app: "a1", pid: "9", msg: "x" },
    time: T,
    options: {
      mode: "tcp",
      syslog_format: "rfc3164",
      syslog_hostname_key: "host",
      syslog_appname_key: "app",
      syslog_procid_key: "pid",
    },
  },
  {
    name: "rfc5424 nothing set",
    record: { msg: "ignored" },
    time: [0, 999],
    options: { mode: "tcp" },
  },
  {
    name: "rfc5424 presets",
    record: { msg: "preset me" },
    time: T,
    options: {
      mode: "tcp",
      ...KEYS,
      syslog_severity_preset: "2",
      syslog_facility_preset: "16",
      syslog_hostname_preset: "ph",
      syslog_appname_preset: "pa",
      syslog_procid_preset: "pp",
      syslog_msgid_preset: "pm",
    },
  },
  {
    name: "rfc5424 keys win over presets",
    record: { ...BASIC, mid: "ID47" },
    time: T,
    options: {
      mode: "tcp",
      ...KEYS,
      syslog_hostname_preset: "ph",
      syslog_appname_preset: "pa",
      syslog_procid_preset: "pp",
      syslog_msgid_preset: "pm",
    },
  },
  {
    name: "rfc5424 facility name and int severity",
    record: { msg: "x", sev: 4, fac: "LOCAL3" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 two-digit facility",
    record: { msg: "x", sev: "7", fac: "23" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 zero-padded facility",
    record: { msg: "x", sev: "0", fac: "05" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 invalid severity and facility",
    record: { msg: "x", sev: "9", fac: "24" },
    time: T,
    options: { mode: "tcp", ...KEYS, syslog_severity_preset: "5", syslog_facility_preset: "3" },
  },
  {
    name: "rfc5424 unknown names",
    record: { msg: "x", sev: "loud", fac: "clock" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 scalar types",
    record: { msg: 12, host: true, app: false, pid: -5, mid: 1.5 },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 map and array values are ignored",
    record: { msg: ["a"], host: { x: 1 }, app: null, pid: "1" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 field truncation",
    record: {
      msg: "m",
      host: "h".repeat(300),
      app: "a".repeat(60),
      pid: "p".repeat(140),
      mid: "i".repeat(40),
    },
    time: T,
    options: { mode: "tcp", ...KEYS, syslog_maxsize: "4096" },
  },
  {
    name: "rfc3164 fields are not truncated",
    record: { msg: "m", host: "h".repeat(60), app: "a".repeat(60), pid: "p".repeat(40) },
    time: T,
    options: { mode: "tcp", syslog_format: "rfc3164", ...KEYS },
  },
  {
    name: "rfc5424 empty strings",
    record: { msg: "", host: "", app: "", pid: "", mid: "" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 structured data",
    record: { msg: "m", meta: { a: "1", b: 'x"y]z\\w' } },
    time: T,
    options: { mode: "tcp", ...KEYS, syslog_sd_key: "meta" },
  },
  {
    name: "rfc5424 structured data value types",
    record: {
      msg: "m",
      sd: { s: "v", i: 5, n: -3, f: 2.25, t: true, u: false, z: null, arr: [1], m: { x: 1 } },
    },
    time: T,
    options: { mode: "tcp", ...KEYS, syslog_sd_key: "sd" },
  },
  {
    name: "rfc5424 two sd keys in record order",
    record: { msg: "m", second: { b: "2" }, first: { a: "1" }, third: { c: "3" } },
    time: T,
    options: { mode: "tcp", ...KEYS, syslog_sd_key: ["first", "second"] },
  },
  {
    name: "rfc5424 empty sd map and no message",
    record: { meta: {} },
    time: T,
    options: { mode: "tcp", syslog_sd_key: "meta" },
  },
  {
    name: "rfc5424 sd names sanitised and cut",
    record: {
      msg: "m",
      'id@1 with=bad]"chars-and-quite-long-too': {
        'param name=x]"y-which-is-longer-than-32': "v",
        "é": "ü",
      },
    },
    time: T,
    options: {
      mode: "tcp",
      ...KEYS,
      syslog_sd_key: 'id@1 with=bad]"chars-and-quite-long-too',
    },
  },
  {
    name: "rfc5424 allow_longer_sd_id",
    record: {
      msg: "m",
      "exampleSDID-that-is-longer-than-thirty-two@32473": {
        "a-parameter-name-longer-than-thirty-two": "v",
      },
    },
    time: T,
    options: {
      mode: "tcp",
      ...KEYS,
      allow_longer_sd_id: "true",
      syslog_sd_key: "exampleSDID-that-is-longer-than-thirty-two@32473",
    },
  },
  {
    name: "rfc5424 map value not an sd key is ignored",
    record: { msg: "m", meta: { a: "1" } },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 maxsize truncates before the newline",
    record: { msg: "0123456789".repeat(10), host: "web1" },
    time: T,
    options: { mode: "tcp", ...KEYS, syslog_maxsize: "60" },
  },
  {
    name: "rfc3164 maxsize truncates the datagram",
    record: { msg: "0123456789".repeat(10), host: "web1", app: "a" },
    time: T,
    options: { mode: "udp", syslog_format: "rfc3164", ...KEYS, syslog_maxsize: "40" },
  },
  {
    name: "rfc5424 default maxsize 2048",
    record: { msg: "x".repeat(3000) },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc3164 default maxsize 1024",
    record: { msg: "x".repeat(3000) },
    time: T,
    options: { mode: "tcp", syslog_format: "rfc3164", ...KEYS },
  },
  {
    name: "rfc5424 pass-through message starting with <",
    record: { msg: "<13>1 2020-01-01T00:00:00Z h a - - - kept", host: "ignored" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc3164 pass-through message starting with <",
    record: { msg: "<13>Jan  1 00:00:00 h a: kept", host: "ignored" },
    time: T,
    options: { mode: "udp", syslog_format: "rfc3164", ...KEYS },
  },
  {
    name: "rfc5424 utf-8 message",
    record: { msg: "héllo wörld ✓", app: "app" },
    time: T,
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 microseconds are truncated",
    record: { msg: "t" },
    time: [1700000000, 999999999],
    options: { mode: "tcp", ...KEYS },
  },
  {
    name: "rfc5424 maxsize cuts inside a character",
    record: { msg: "✓✓✓" },
    time: T,
    options: { mode: "tcp", ...KEYS, syslog_maxsize: "48" },
  },
  {
    name: "rfc5424 tls mode frames like tcp",
    record: BASIC,
    time: T,
    options: { mode: "tls", ...KEYS },
  },
];
