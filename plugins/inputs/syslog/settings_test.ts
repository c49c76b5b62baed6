import { defaultsOf } from "../../../src/config/options.ts";
import { buildParserRegistry } from "../../../src/parsers/mod.ts";
import { OptionError } from "../../../src/plugin.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { type SyslogRecordOptions, syslogRecordOptions } from "./options.ts";
import { resolveSyslogSettings } from "./settings.ts";

const parsers = buildParserRegistry([]);

function resolve(extra: Partial<SyslogRecordOptions>) {
  return resolveSyslogSettings({ ...defaultsOf(syslogRecordOptions), ...extra }, parsers);
}

Deno.test("resolveSyslogSettings() picks Fluent Bit's parser per mode", () => {
  assertEquals(resolve({ mode: "tcp" }).parser.name, "syslog-rfc5424");
  assertEquals(resolve({ mode: "udp" }).parser.name, "syslog-rfc5424");
  assertEquals(resolve({ mode: "unix_udp", path: "/tmp/s" }).parser.name, "syslog-rfc3164-local");
  assertEquals(resolve({ mode: "unix_tcp", path: "/tmp/s" }).parser.name, "syslog-rfc3164-local");
  assertEquals(resolve({ mode: "udp", parser: "syslog-rfc3164" }).parser.name, "syslog-rfc3164");
});

Deno.test("resolveSyslogSettings() gives each mode its transport and framing", () => {
  const tcp = resolve({ mode: "tcp", format: "octet" });
  assertEquals([tcp.transport, tcp.family, tcp.framing], ["stream", "inet", "octet_counting"]);
  const unix = resolve({ mode: "unix_udp", path: "/tmp/s" });
  assertEquals([unix.transport, unix.family, unix.path], ["datagram", "unix", "/tmp/s"]);
  assertEquals(resolve({ mode: "udp", path: "/tmp/s" }).path, undefined);
});

Deno.test("resolveSyslogSettings() limits messages to buffer_chunk_size unless buffer_max_size", () => {
  assertEquals(resolve({ mode: "tcp" }).maxMessageBytes, 32_768);
  assertEquals(resolve({ mode: "tcp", buffer_chunk_size: 1000 }).maxMessageBytes, 1000);
  assertEquals(resolve({ mode: "tcp", buffer_max_size: 65_536 }).maxMessageBytes, 65_536);
});

Deno.test("resolveSyslogSettings() reads unix_perm as octal", () => {
  assertEquals(resolve({ mode: "unix_tcp", path: "/s" }).unixPerm, 0o644);
  assertEquals(resolve({ mode: "unix_tcp", path: "/s", unix_perm: "0666" }).unixPerm, 0o666);
  assertEquals(resolve({ mode: "unix_tcp", path: "/s", unix_perm: "600" }).unixPerm, 0o600);
});

Deno.test("resolveSyslogSettings() refuses a unix mode without path and an unknown parser", () => {
  const e = assertThrows(() => resolve({ mode: "unix_udp" }), OptionError);
  assertEquals((e as OptionError).key, "path");
  const p = assertThrows(() => resolve({ mode: "tcp", parser: "nope" }), OptionError);
  assertEquals((p as OptionError).key, "parser");
});
