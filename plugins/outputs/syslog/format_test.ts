import { defaultsOf, parseValue } from "../../../src/config/options.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { syslogFormatter, type SyslogTransport } from "./format.ts";
import {
  type SyslogFormatOptions,
  syslogFormatOptions,
  type SyslogOutputOptions,
  syslogOutputOptions,
} from "./options.ts";

/** One case of the captured vectors (tools/capture_syslog_vectors.ts). */
interface Vector {
  name: string;
  record: Record<string, unknown>;
  time: [number, number];
  options: Record<string, string | string[]>;
  sent: string[];
}

const VECTORS: Vector[] = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../testdata/syslog/fluent-bit-out_syslog-vectors.json", import.meta.url),
  ),
).cases;

/** Parses Fluent Bit keys with the output's own option table. */
function optionsOf(raw: Record<string, string | string[]>): SyslogOutputOptions {
  const out = defaultsOf(syslogOutputOptions) as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw)) {
    if (key === "host" || key === "port") continue;
    const spec = syslogOutputOptions[key as keyof typeof syslogOutputOptions];
    if (!spec) throw new Error(`no option ${key}`);
    out[key] = spec.multiple
      ? [value].flat().map((v) => parseValue(spec, v))
      : parseValue(spec, value);
  }
  return out as SyslogOutputOptions;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function record(body: Record<string, unknown>, sec = 1700000000, nsec = 500000000): LogRecord {
  return { time: new EventTime(sec, nsec), metadata: {}, body };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

for (const v of VECTORS) {
  Deno.test(`syslogFormatter() sends what Fluent Bit sends: ${v.name}`, () => {
    const options = optionsOf(v.options);
    const transport: SyslogTransport = options.mode === "udp" ? "datagram" : "stream";
    const format = syslogFormatter(options, { transport });
    const got = format(record(v.record, v.time[0], v.time[1]));
    assertEquals(hex(got), v.sent[0]);
    assertEquals(v.sent.length, 1);
  });
}

function formatOptions(extra: Partial<SyslogFormatOptions>): SyslogFormatOptions {
  return { ...defaultsOf(syslogFormatOptions), syslog_message_key: "msg", ...extra };
}

Deno.test("syslogFormatter() frames a stream message with its octet count", () => {
  const format = syslogFormatter(formatOptions({ syslog_framing: "octet_counting" }), {
    transport: "stream",
  });
  const line = "<14>1 2023-11-14T22:13:20.500000Z - - - - - \uFEFFhé";
  const bytes = new TextEncoder().encode(line).length;
  assertEquals(text(format(record({ msg: "hé" }))), `${bytes} ${line}`);
});

Deno.test("syslogFormatter() counts the octets of the cut message", () => {
  const format = syslogFormatter(
    formatOptions({ syslog_framing: "octet_counting", syslog_maxsize: 10 }),
    { transport: "stream" },
  );
  assertEquals(text(format(record({ msg: "<13>0123456789" }))), "10 <13>012345");
});

Deno.test("syslogFormatter() ignores the framing on datagrams", () => {
  const format = syslogFormatter(formatOptions({ syslog_framing: "octet_counting" }), {
    transport: "datagram",
  });
  assertEquals(text(format(record({ msg: "<13>raw" }))), "<13>raw");
});

Deno.test("syslogFormatter() reports a severity or facility that names none", () => {
  const invalid: string[] = [];
  const format = syslogFormatter(
    formatOptions({ syslog_severity_key: "s", syslog_facility_key: "f" }),
    { transport: "datagram", onInvalid: (key, value) => invalid.push(`${key}=${value}`) },
  );
  assertEquals(text(format(record({ msg: "<1>", s: "loud", f: 24 }))), "<1>");
  format(record({ s: "info", f: "local0" }));
  assertEquals(invalid, ["severity=loud", "facility=24"]);
});

Deno.test("syslogFormatter() gives a key configured twice to the first field only", () => {
  const format = syslogFormatter(
    formatOptions({ syslog_hostname_key: "h", syslog_appname_key: "h" }),
    { transport: "datagram" },
  );
  assertEquals(
    text(format(record({ h: "web1", msg: "m" }))),
    "<14>1 2023-11-14T22:13:20.500000Z web1 - - - - \uFEFFm",
  );
});

Deno.test("syslogFormatter() writes binary values as their bytes", () => {
  const format = syslogFormatter(formatOptions({ syslog_sd_key: ["sd"] }), {
    transport: "datagram",
  });
  const got = format(
    record({ msg: new Uint8Array([0x68, 0xff]), sd: { b: new Uint8Array([0x22, 0xfe]) } }),
  );
  const prefix = new TextEncoder().encode('<14>1 2023-11-14T22:13:20.500000Z - - - - [sd b="');
  assertEquals(
    hex(got),
    hex(prefix) + "5c22fe" + hex(new TextEncoder().encode('"] \uFEFF')) + "68ff",
  );
});

Deno.test("syslogFormatter() reuses its buffer and grows it for long messages", () => {
  const format = syslogFormatter(formatOptions({ syslog_maxsize: 100_000 }), {
    transport: "stream",
  });
  const long = format(record({ msg: "x".repeat(50_000) })).length;
  assertEquals(long, 44 + 3 + 50_000 + 1);
  assertEquals(text(format(record({ msg: "<1>a" }))), "<1>a\n");
});
