/**
 * `deno task bench:syslog`: 1,000,000 RFC 5424 lines (~170 bytes, newline framing) sent
 * over 4 TCP connections into `syslog -> null`, for sluice and, when the peer is present,
 * Fluent Bit 4.2.8's in_syslog side by side in the same run (both with the default
 * syslog-rfc5424 parser; Fluent Bit reads it from its conf/parsers.conf in testdata): records/s, CPU seconds, peak RSS and the ratio.
 */
import { sluiceCommand, writeNullConfig } from "./measure.ts";
import { runSideBySide } from "./stream_input.ts";

const LINES = Number(Deno.env.get("BENCH_LINES") ?? 1_000_000);
const CONNECTIONS = 4;
const root = new URL("..", import.meta.url).pathname;
const out = `${root}bench/out`;
await Deno.mkdir(out, { recursive: true });

/** Line `i`: an RFC 5424 message with structured data and a numbered text. */
function syslogLine(i: number): string {
  const us = String(i % 1_000_000).padStart(6, "0");
  return `<165>1 2023-11-14T22:13:20.${us}Z host-${i % 16} app-${i % 7} ${1000 + (i % 50)} ` +
    `ID47 [exampleSDID@32473 iut="3" eventSource="Application"] message number ${i} ` +
    "from the syslog benchmark";
}

function payloads(): Uint8Array[] {
  const enc = new TextEncoder();
  const parts: string[][] = Array.from({ length: CONNECTIONS }, () => []);
  for (let i = 0; i < LINES; i++) parts[i % CONNECTIONS]!.push(syslogLine(i));
  return parts.map((p) => enc.encode(p.join("\n") + "\n"));
}

/** The syslog input entry (TCP on 127.0.0.1:`port`) both sides run. */
function syslogInput(port: number): string {
  return `    - name: syslog\n      mode: tcp\n      listen: 127.0.0.1\n      port: ${port}\n`;
}

const data = payloads();
const totalMb = data.reduce((n, d) => n + d.length, 0) / 1e6;
console.log(
  `syslog input benchmark: ${LINES.toLocaleString("en-US")} RFC 5424 lines ` +
    `(${totalMb.toFixed(0)} MB) over ${CONNECTIONS} TCP connections, syslog -> null`,
);

const { cmd: sluiceCmd } = await sluiceCommand();
await runSideBySide({
  what: "syslog -> null",
  payloads: data,
  records: LINES,
  async sluice(port, httpPort) {
    const config = `${out}/syslog_input.yaml`;
    await writeNullConfig(config, { httpPort, input: syslogInput(port) });
    return [...sluiceCmd, "-c", config];
  },
  async fluentBit(fb, port, httpPort) {
    const config = `${out}/syslog_input_fluent_bit.yaml`;
    await writeNullConfig(config, {
      httpPort,
      input: syslogInput(port),
      service: [`parsers_file: ${root}testdata/parsers/fb-conf__parsers.conf`],
    });
    return [fb, "-q", "-c", config];
  },
});
