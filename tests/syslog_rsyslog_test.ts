/**
 * The syslog input and output against a real rsyslog (tests/_rsyslog.ts): rsyslog's
 * `omfwd` forwards numbered messages to sluice's syslog input over UDP and TCP (newline and
 * octet-counted framing, RFC 5424 and RFC 3164 templates), and sluice's syslog output sends
 * numbered records to rsyslog's imudp/imtcp, which writes what it parsed to a file. Every
 * message must arrive once, with its fields. Skipped with a message when rsyslogd is absent.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { until } from "../src/testing/until.ts";
import { startService } from "./_delivery.ts";
import { freePort } from "./_helpers.ts";
import { hasRsyslog, RSYSLOG_SKIP, startRsyslog } from "./_rsyslog.ts";

const ignore = !hasRsyslog();
if (ignore) console.warn(RSYSLOG_SKIP);

const N = 200;
const RFC5424 = "RSYSLOG_SyslogProtocol23Format";
const RFC3164 = "RSYSLOG_TraditionalForwardFormat";

function id(i: number): string {
  return String(i).padStart(6, "0");
}

/** The records sluice's file output wrote (format plain: one JSON map a line). */
function records(path: string): Record<string, unknown>[] {
  try {
    return Deno.readTextFileSync(path).split("\n").filter((l) => l).map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/** Each message number found by `number` in `items`, with how often it came. */
function counts<T>(items: readonly T[], number: (item: T) => number | undefined): number[] {
  const seen = new Array(N).fill(0);
  for (const item of items) {
    const n = number(item);
    if (n !== undefined && n >= 0 && n < N) seen[n]++;
  }
  return seen;
}

interface ForwardCase {
  name: string;
  /** omfwd's protocol and framing. */
  protocol: "udp" | "tcp";
  framing?: "traditional" | "octet-counted";
  template: string;
  /** The sluice input's keys besides listen/port. */
  input: Record<string, string>;
}

const FORWARD_CASES: ForwardCase[] = [
  { name: "udp, RFC 5424", protocol: "udp", template: RFC5424, input: { mode: "udp" } },
  {
    name: "tcp newline, RFC 5424",
    protocol: "tcp",
    framing: "traditional",
    template: RFC5424,
    input: { mode: "tcp" },
  },
  {
    name: "tcp octet-counted, RFC 5424",
    protocol: "tcp",
    framing: "octet-counted",
    template: RFC5424,
    input: { mode: "tcp", format: "octet_counting" },
  },
  {
    name: "udp, RFC 3164",
    protocol: "udp",
    template: RFC3164,
    input: { mode: "udp", parser: "syslog-rfc3164" },
  },
  {
    name: "tcp newline, RFC 3164",
    protocol: "tcp",
    framing: "traditional",
    template: RFC3164,
    input: { mode: "tcp", parser: "syslog-rfc3164" },
  },
  {
    name: "tcp octet-counted, RFC 3164",
    protocol: "tcp",
    framing: "octet-counted",
    template: RFC3164,
    input: { mode: "tcp", format: "octet_counting", parser: "syslog-rfc3164" },
  },
];

function yamlMap(map: Record<string, string>, indent: string): string {
  return Object.entries(map).map(([k, v]) => `${indent}${k}: ${JSON.stringify(v)}`).join("\n");
}

for (const c of FORWARD_CASES) {
  Deno.test({
    name: `rsyslog omfwd (${c.name}) -> syslog input: every message once, with its fields`,
    ignore,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "sluice_syslog_in_" });
      const port = freePort();
      const svc = await startService(
        dir,
        `
service:
  flush: 0.1
  log_level: warn
pipeline:
  inputs:
    - name: syslog
      listen: 127.0.0.1
      port: ${port}
      source_address_key: src
${yamlMap(c.input, "      ")}
  outputs:
    - name: file
      match: "*"
      path: \${DIR}
      file: out.jsonl
      format: plain
`,
      );
      const feedPort = freePort();
      const framing = c.framing ? ` TCP_Framing="${c.framing}"` : "";
      const rsyslog = await startRsyslog(() => `
input(type="imtcp" address="127.0.0.1" port="${feedPort}" ruleset="fwd")
ruleset(name="fwd") {
  action(type="omfwd" target="127.0.0.1" port="${port}" protocol="${c.protocol}"
         template="${c.template}"${framing})
}
`);
      try {
        let feed = "";
        for (let i = 0; i < N; i++) {
          feed += `<13>1 2023-11-14T22:13:20.123456Z myhost myapp 42 ID1 ` +
            `[exampleSDID@32473 iut="3"] line ${id(i)}\n`;
        }
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: feedPort });
        await conn.write(new TextEncoder().encode(feed));
        conn.close();
        const out = `${dir}/out.jsonl`;
        const number = (r: Record<string, unknown>) => {
          const m = /line (\d{6})$/.exec(String(r.message));
          return m ? Number(m[1]) : undefined;
        };
        await until(
          () => counts(records(out), number).every((n) => n >= 1),
          `all ${N} messages from rsyslog`,
          { timeout: 30_000, interval: 50 },
        );
        const got = records(out);
        assertEquals(counts(got, number), new Array(N).fill(1));
        const first = got.find((r) => number(r) === 0)!;
        assertEquals([first.host, first.ident, first.pid], ["myhost", "myapp", "42"]);
        assertEquals(String(first.src).startsWith(`${c.protocol}://127.0.0.1:`), true);
        if (c.template === RFC5424) {
          assertEquals(first.msgid, "ID1");
          assertEquals(first.extradata, '[exampleSDID@32473 iut="3"]');
          assertEquals(first.pri, "13");
        } else {
          assertEquals(first.time, "Nov 14 22:13:20");
        }
        assertEquals(svc.value("sluice_syslog_unparsed_total"), 0);
      } finally {
        await rsyslog.stop();
        await svc.stop();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

interface OutputCase {
  name: string;
  /** The sluice output's keys besides host/port. */
  output: Record<string, string>;
}

const OUTPUT_CASES: OutputCase[] = [
  { name: "udp, RFC 5424", output: { mode: "udp" } },
  { name: "tcp newline, RFC 5424", output: { mode: "tcp" } },
  {
    name: "tcp octet-counted, RFC 5424",
    output: { mode: "tcp", syslog_framing: "octet_counting" },
  },
  { name: "udp, RFC 3164", output: { mode: "udp", syslog_format: "rfc3164" } },
  { name: "tcp newline, RFC 3164", output: { mode: "tcp", syslog_format: "rfc3164" } },
];

for (const c of OUTPUT_CASES) {
  Deno.test({
    name: `syslog output (${c.name}) -> rsyslog: every record once, parsed by rsyslog`,
    ignore,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "sluice_syslog_out_" });
      const port = freePort();
      const udp = c.output.mode === "udp";
      const rsyslog = await startRsyslog((rdir) => `
template(name="fields" type="string"
  string="%pri%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|%msg%\\n")
input(type="${udp ? "imudp" : "imtcp"}" address="127.0.0.1" port="${port}" ruleset="write")
ruleset(name="write") { action(type="omfile" file="${rdir}/out.log" template="fields") }
`);
      let lines = "";
      for (let i = 0; i < N; i++) {
        lines += JSON.stringify({
          msg: `line ${id(i)}`,
          host: "web1",
          app: "nginx",
          pid: 4242,
          mid: "REQ",
          sev: "warning",
          sd: { k: `v${i}` },
        }) + "\n";
      }
      await Deno.writeTextFile(`${dir}/in.log`, lines);
      const svc = await startService(
        dir,
        `
service:
  flush: 0.1
  log_level: warn
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      read_from_head: true
      parser: json
  outputs:
    - name: syslog
      match: "*"
      host: 127.0.0.1
      port: ${port}
      syslog_message_key: msg
      syslog_hostname_key: host
      syslog_appname_key: app
      syslog_procid_key: pid
      syslog_msgid_key: mid
      syslog_severity_key: sev
      syslog_sd_key: sd
${yamlMap(c.output, "      ")}
`,
      );
      try {
        const number = (line: string) => {
          const m = /line (\d{6})$/.exec(line);
          return m ? Number(m[1]) : undefined;
        };
        await until(
          () => counts(rsyslog.lines("out.log"), number).every((n) => n >= 1),
          `all ${N} records in rsyslog's file`,
          { timeout: 30_000, interval: 50 },
        );
        const got = rsyslog.lines("out.log");
        assertEquals(counts(got, number), new Array(N).fill(1));
        const first = got.find((l) => number(l) === 7)!.split("|");
        // facility user (1) * 8 + warning (4)
        assertEquals(first[0], "12");
        assertEquals(first[1], "web1");
        if (c.output.syslog_format === "rfc3164") {
          assertEquals(first[2], "nginx");
          assertEquals(first[3], "4242");
        } else {
          assertEquals(first.slice(2, 6), ["nginx", "4242", "REQ", '[sd k="v7"]']);
        }
        assertEquals(first[6]!.replace(/^\uFEFF/, "").trim(), "line 000007");
      } finally {
        await svc.stop();
        await rsyslog.stop();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
