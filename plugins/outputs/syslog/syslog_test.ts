import { defaultsOf } from "../../../src/config/options.ts";
import { RetryableError } from "../../../src/engine/errors.ts";
import { Ack } from "../../../src/event/ack.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";
import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { TcpReceiver } from "../../../src/testing/tcp_receiver.ts";
import { UdpReceiver } from "../../../src/testing/udp_receiver.ts";
import { until } from "../../../src/testing/until.ts";
import { type SyslogOutputOptions, syslogOutputOptions } from "./options.ts";
import { createSyslogOutput } from "./syslog.ts";

const T = new EventTime(1700000000, 500_000_000);
const RECORDS: LogRecord[] = [
  { time: GROUP_START, metadata: {}, body: {} },
  { time: T, metadata: {}, body: { msg: "one", sev: "err" } },
  { time: T, metadata: {}, body: { msg: "two", sev: "loud" } },
  { time: T, metadata: {}, body: { msg: "three", sev: 7 } },
];
const LINES = [
  "<11>1 2023-11-14T22:13:20.500000Z - - - - - \uFEFFone",
  "<14>1 2023-11-14T22:13:20.500000Z - - - - - \uFEFFtwo",
  "<15>1 2023-11-14T22:13:20.500000Z - - - - - \uFEFFthree",
];

function chunk(): LogChunk {
  return { signal: "logs", tag: "t", records: RECORDS, bytes: 10, ack: new Ack(), input: "t.0" };
}

function options(extra: Partial<SyslogOutputOptions>): SyslogOutputOptions {
  return {
    ...defaultsOf(syslogOutputOptions),
    syslog_message_key: "msg",
    syslog_severity_key: "sev",
    ...extra,
  };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("syslog output udp: one datagram per record, group markers left out", async () => {
  const rx = await UdpReceiver.start();
  const ctx = testFilterContext({ name: "syslog.0" });
  const out = createSyslogOutput(options({ mode: "udp", port: rx.port }), ctx);
  try {
    await out.write(chunk());
    await until(() => rx.datagrams.length >= 3, "3 datagrams");
    assertEquals(rx.datagrams.map(text), LINES);
    assertEquals(
      ctx.metrics.value("sluice_syslog_invalid_priority_total", { name: "syslog.0" }),
      1,
    );
    assertEquals(ctx.logLines.filter((l) => l.includes("invalid severity: 'loud'")).length, 1);
  } finally {
    await out.close?.();
    await rx.stop();
  }
});

Deno.test("syslog output tcp: the chunk's lines in one stream, octet-counted on request", async () => {
  for (const framing of ["newline", "octet_counting"] as const) {
    const rx = await TcpReceiver.start();
    const out = createSyslogOutput(
      options({ mode: "tcp", port: rx.port, syslog_framing: framing }),
      testFilterContext({ name: "syslog.0" }),
    );
    try {
      await out.write(chunk());
      const want = LINES.map((l) =>
        framing === "newline" ? `${l}\n` : `${new TextEncoder().encode(l).length} ${l}`
      ).join("");
      await until(() => text(rx.bytes()) === want, `the ${framing} lines`);
    } finally {
      await out.close?.();
      await rx.stop();
    }
  }
});

Deno.test("syslog output tcp: no server is a RetryableError for the engine", async () => {
  const rx = await TcpReceiver.start();
  const port = rx.port;
  await rx.stop();
  const out = createSyslogOutput(
    options({ mode: "tcp", port, "net.connect_timeout": 2 }),
    testFilterContext({ name: "syslog.0" }),
  );
  try {
    await assertRejects(() => out.write(chunk()), RetryableError);
  } finally {
    await out.close?.();
  }
});

Deno.test("syslog output udp: messages are cut to fit one datagram", async () => {
  const rx = await UdpReceiver.start();
  const ctx = testFilterContext({ name: "syslog.0" });
  const out = createSyslogOutput(
    options({ mode: "udp", port: rx.port, syslog_maxsize: 100_000 }),
    ctx,
  );
  try {
    const big: LogRecord = { time: T, metadata: {}, body: { msg: "x".repeat(70_000) } };
    await out.write({ ...chunk(), records: [big] });
    await until(() => rx.datagrams.length >= 1, "the datagram");
    assertEquals(rx.datagrams[0]!.length, 65_507);
    assertEquals(ctx.logLines.filter((l) => l.includes("does not fit a UDP datagram")).length, 1);
  } finally {
    await out.close?.();
    await rx.stop();
  }
});
