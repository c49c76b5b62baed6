import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { buildParserRegistry } from "../../../src/parsers/mod.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { type RecordConverter, recordConverter, type RecordSettings } from "./records.ts";

const parsers = buildParserRegistry([]);
const encoder = new TextEncoder();
const NOW = new EventTime(1800000000, 7);

/** Facts from Fluent Bit's tests/runtime/in_syslog.c (testdata/syslog/SOURCES.md). */
const FB = JSON.parse(
  await Deno.readTextFile(
    new URL("../../../testdata/syslog/fluent-bit-in_syslog-vectors.json", import.meta.url),
  ),
);

function convert(
  settings: Partial<RecordSettings> & { parserName?: string },
  messages: (string | Uint8Array)[],
  peer = "udp://127.0.0.1:5000",
): { records: LogRecord[]; converter: RecordConverter; logged: string[] } {
  const logged: string[] = [];
  const converter = recordConverter(
    { parser: parsers.get(settings.parserName ?? "syslog-rfc5424")!, ...settings },
    {
      onUnmatched: (t) => logged.push(`unmatched ${t}`),
      onInvalidUtf8: (t) => logged.push(`utf8 ${t}`),
    },
  );
  const records: LogRecord[] = [];
  converter.convert(
    messages.map((m) => typeof m === "string" ? encoder.encode(m) : m),
    { peer, time: NOW },
    records,
  );
  return { records, converter, logged };
}

/** The record as Fluent Bit's JSON shows it, for matching its expected fragments. */
function json(r: LogRecord): string {
  return JSON.stringify(r.body);
}

Deno.test("recordConverter() gives Fluent Bit's RFC 5424 fields", () => {
  const { records } = convert({}, [FB.messages.RFC5424_EXAMPLE_1]);
  for (const fragment of FB.expected_fragments.RFC5424_EXPECTED_STRS_1) {
    assertEquals(json(records[0]!).includes(fragment), true, fragment);
  }
  // 2003-10-11T22:14:15.003Z
  assertEquals(records[0]!.time, new EventTime(1065910455, 3_000_000));
});

Deno.test("recordConverter() gives Fluent Bit's RFC 3164 fields", () => {
  const { records } = convert({ parserName: "syslog-rfc3164" }, [FB.messages.RFC3164_EXAMPLE_1]);
  for (const fragment of FB.expected_fragments.RFC3164_EXPECTED_STRS_1) {
    assertEquals(json(records[0]!).includes(fragment), true, fragment);
  }
});

Deno.test("recordConverter() reads the reference vector with every field as a string", () => {
  const { records } = convert({}, ["<34>1 2023-11-14T22:13:20.003Z web1 su 123 ID47 - hello"]);
  assertEquals(records, [{
    time: new EventTime(1700000000, 3_000_000),
    metadata: {},
    body: {
      pri: "34",
      time: "2023-11-14T22:13:20.003Z",
      host: "web1",
      ident: "su",
      pid: "123",
      msgid: "ID47",
      extradata: "-",
      message: "hello",
    },
  }]);
});

Deno.test("recordConverter() keeps structured data whole and the RFC 5424 BOM in the message", () => {
  const lines = exampleLines();
  const { records } = convert({}, lines);
  assertEquals(records.length, 4);
  assertEquals(records[0]!.body.message, "\uFEFF'su root' failed for lonvick on /dev/pts/8");
  assertEquals(
    records[2]!.body.extradata,
    '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]',
  );
  // Example 4 has two SD elements and no MSG: the parser needs a message, so it is unmatched.
  assertEquals(Object.keys(records[3]!.body), ["message"]);
});

function exampleLines(): string[] {
  const text = Deno.readTextFileSync(
    new URL("../../../testdata/syslog/rfc5424-examples.log", import.meta.url),
  );
  return text.split("\n").filter((l) => l !== "");
}

Deno.test("recordConverter() uses the receive time when the parser gives none", () => {
  const { records } = convert({ parserName: "syslog-rfc5424" }, [
    "<13>1 2023-11-14T22:13:20Z h a 1 - - no fraction",
  ]);
  assertEquals(records[0]!.time, NOW);
  assertEquals(records[0]!.body.message, "no fraction");
});

Deno.test("recordConverter() leaves a trailing newline of a datagram out of the message", () => {
  const { records } = convert({}, ["<13>1 2023-11-14T22:13:20.5Z h a 1 - - hi\n"]);
  assertEquals(records[0]!.body.message, "hi");
});

Deno.test("recordConverter() adds raw_message_key as bytes, then source_address_key", () => {
  const line = "<13>1 2023-11-14T22:13:20.5Z h a 1 - - hi";
  const { records } = convert(
    { rawMessageKey: "raw", sourceAddressKey: "src" },
    [line],
    "tcp://10.0.0.5:4000",
  );
  const body = records[0]!.body;
  assertEquals(Object.keys(body).slice(-2), ["raw", "src"]);
  assertEquals(body.raw, encoder.encode(line));
  assertEquals(body.src, "tcp://10.0.0.5:4000");
});

Deno.test("recordConverter() keeps an unmatched message as {message}, counted and reported", () => {
  const { records, converter, logged } = convert({ sourceAddressKey: "src" }, [
    "not syslog at all\n",
  ]);
  assertEquals(records[0]!.body, { message: "not syslog at all", src: "udp://127.0.0.1:5000" });
  assertEquals(records[0]!.time, NOW);
  assertEquals(converter.unmatched, 1);
  assertEquals(logged, ["unmatched not syslog at all\n"]);
});

Deno.test("recordConverter() turns bytes that are not UTF-8 into U+FFFD, counted", () => {
  const bytes = new Uint8Array([
    ...encoder.encode("<13>1 2023-11-14T22:13:20.5Z h a 1 - - x"),
    0xff,
    0x41,
  ]);
  const { records, converter, logged } = convert({ rawMessageKey: "raw" }, [bytes]);
  assertEquals(records[0]!.body.message, "x\uFFFDA");
  assertEquals(records[0]!.body.raw, bytes);
  assertEquals(converter.invalidUtf8, 1);
  assertEquals(logged.length, 1);
});

Deno.test("recordConverter() reads RFC 3164 from a local socket without a host", () => {
  const { records } = convert({ parserName: "syslog-rfc3164-local" }, [
    "<13>Nov 14 22:13:20 myapp[42]: local line",
  ]);
  assertEquals(records[0]!.body, {
    pri: "13",
    time: "Nov 14 22:13:20",
    ident: "myapp",
    pid: "42",
    message: "local line",
  });
});

Deno.test("recordConverter() reads messages cut from one buffer alike, ASCII or not", () => {
  for (const last of ["line 3", "líne 3", "line \uFFFD"]) {
    const lines = [line(1), line(2), `<13>1 2023-11-14T22:13:20.5Z h a 1 - - ${last}`];
    const bytes = encoder.encode(lines.join("\n") + "\n");
    const messages: Uint8Array[] = [];
    let start = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 10) {
        messages.push(bytes.subarray(start, i));
        start = i + 1;
      }
    }
    const { records } = convert({}, messages);
    assertEquals(records.map((r) => r.body.message), ["line 1", "line 2", last]);
  }
});

Deno.test("recordConverter() counts the one bad message of a batch cut from one buffer", () => {
  const bytes = new Uint8Array([...encoder.encode(`${line(1)}\n${line(2)}`), 0xff]);
  const cut = bytes.indexOf(10);
  const { records, converter } = convert({}, [bytes.subarray(0, cut), bytes.subarray(cut + 1)]);
  assertEquals(records.map((r) => r.body.message), ["line 1", "line 2\uFFFD"]);
  assertEquals(converter.invalidUtf8, 1);
});

function line(i: number): string {
  return `<13>1 2023-11-14T22:13:20.5Z h a 1 - - line ${i}`;
}
