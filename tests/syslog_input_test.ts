/**
 * The syslog input end to end over real sockets: logger(1) into unix datagram and stream
 * sockets, TLS on tcp, and hostile input (a message over buffer_max_size, bytes that are
 * not UTF-8, a malformed octet count): each counted, logged once with a sample, the
 * connection handled, other connections and the process unaffected. And the syslog
 * output over TLS.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { makeTestCerts } from "../src/testing/tls_certs.ts";
import { until } from "../src/testing/until.ts";
import { type RunningService, startService } from "./_delivery.ts";
import { freePort } from "./_helpers.ts";
import { sendTcp } from "./_net.ts";

const N = 100;

function hasLogger(): boolean {
  try {
    return new Deno.Command("logger", { args: ["--version"], stdout: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}
const noLogger = !hasLogger();
if (noLogger) console.warn("logger(1) not found (util-linux): unix socket tests skipped");

/** The records sluice's file output wrote (format plain: one JSON map a line). */
function records(dir: string): Record<string, unknown>[] {
  try {
    return Deno.readTextFileSync(`${dir}/out.jsonl`).split("\n").filter((l) => l)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/** A service with the given syslog inputs (YAML list items) and a file output in `dir`. */
function service(dir: string, inputs: string): Promise<RunningService> {
  return startService(
    dir,
    `
service:
  flush: 0.1
  log_level: info
pipeline:
  inputs:
${inputs}
  outputs:
    - name: file
      match: "*"
      path: \${DIR}
      file: out.jsonl
      format: plain
`,
  );
}

/** How often each `line N` (N < n) was delivered. */
function lineCounts(recs: readonly Record<string, unknown>[], n: number): number[] {
  const seen = new Array(n).fill(0);
  for (const r of recs) {
    const m = /line (\d+)$/.exec(String(r.message));
    if (m && Number(m[1]) < n) seen[Number(m[1])]++;
  }
  return seen;
}

async function waitListening(svc: RunningService, what: string): Promise<void> {
  await until(() => svc.lines.some((l) => l.includes(what)), `"${what}" in the log`, {
    timeout: 10_000,
  });
}

for (
  const c of [
    { mode: "unix_udp", flags: ["-d"], format: "newline" },
    { mode: "unix_tcp", flags: ["-T"], format: "newline" },
    { mode: "unix_tcp", flags: ["-T", "--octet-count"], format: "octet_counting" },
  ]
) {
  Deno.test({
    name: `syslog input: logger ${c.flags.join(" ")} into ${c.mode} (${c.format}), all lines once`,
    ignore: noLogger,
    async fn() {
      const dir = await Deno.makeTempDir({ prefix: "sluice_syslog_unix_" });
      const path = `${dir}/log.sock`;
      const svc = await service(
        dir,
        `    - name: syslog
      mode: ${c.mode}
      path: ${path}
      unix_perm: "0600"
      format: ${c.format}
      source_address_key: src`,
      );
      try {
        await waitListening(svc, `listening on unix socket ${path}`);
        assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
        const text = Array.from({ length: N }, (_, i) => `line ${i}`).join("\n") + "\n";
        await Deno.writeTextFile(`${dir}/lines.txt`, text);
        const out = await new Deno.Command("logger", {
          args: [
            "-u",
            path,
            "--socket-errors=on",
            ...c.flags,
            "-t",
            "myapp",
            "-f",
            `${dir}/lines.txt`,
          ],
          stderr: "piped",
        }).output();
        assert(out.success, new TextDecoder().decode(out.stderr));
        await until(() => lineCounts(records(dir), N).every((n) => n > 0), `${N} lines`, {
          timeout: 15_000,
        });
        assertEquals(lineCounts(records(dir), N), new Array(N).fill(1));
        const first = records(dir)[0]!;
        assertEquals(first.ident, "myapp");
        assertEquals(first.pri, "13");
        assertEquals(first.src, `unix://${path}`);
      } finally {
        await svc.stop();
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

function line5424(i: number): string {
  return `<13>1 2023-11-14T22:13:20.5Z h a 1 - - line ${i}`;
}

Deno.test("syslog input: bad input is counted, logged once with a sample, others go on", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_syslog_bad_" });
  const newline = freePort(), octet = freePort();
  const svc = await service(
    dir,
    `    - name: syslog
      alias: nl
      mode: tcp
      listen: 127.0.0.1
      port: ${newline}
      buffer_max_size: 200
    - name: syslog
      alias: oc
      mode: tcp
      listen: 127.0.0.1
      port: ${octet}
      format: octet_counting`,
  );
  try {
    await waitListening(svc, `:${octet}`);
    const enc = new TextEncoder();
    const long = `<13>1 2023-11-14T22:13:20.5Z h a 1 - - ${"L".repeat(1000)}`;
    const badUtf8 = new Uint8Array([...enc.encode(line5424(2)), 0xff, 0xfe, 0x0a]);
    await sendTcp(newline, `${line5424(0)}\n${long}\n${long}\n`);
    await sendTcp(newline, badUtf8);
    await sendTcp(newline, new Uint8Array([...badUtf8]));
    const f = (i: number) => {
      const m = line5424(i);
      return `${enc.encode(m).length} ${m}`;
    };
    // A frame, then a length that is not a number: the frame before it still counts.
    await sendTcp(octet, `${f(3)}xx not a length`);
    await sendTcp(octet, `${f(4)}${f(5)}`);
    await sendTcp(newline, `${line5424(1)}\n`);
    const want = [0, 1, 3, 4, 5];
    await until(
      () =>
        want.every((i) => lineCounts(records(dir), 6)[i]! > 0) &&
        svc.value("sluice_syslog_invalid_utf8_total") >= 2,
      "the good lines",
      { timeout: 10_000 },
    );
    const counts = lineCounts(records(dir), 6);
    assertEquals(want.map((i) => counts[i]), [1, 1, 1, 1, 1]);
    const utf8 = records(dir).filter((r) => String(r.message).startsWith("line 2"));
    assertEquals(utf8.map((r) => r.message), ["line 2\uFFFD\uFFFD", "line 2\uFFFD\uFFFD"]);
    assertEquals(svc.value("sluice_net_frames_oversize_total", "nl"), 2);
    assertEquals(svc.value("sluice_syslog_invalid_utf8_total", "nl"), 2);
    assertEquals(svc.value("sluice_net_framing_errors_total", "oc"), 1);
    const log = svc.lines.join("");
    const once = (part: string) => log.split(part).length - 1;
    assertEquals(once("exceeds the buffer limit"), 1);
    assertStringIncludes(log, "LLLLLLLLLL");
    assertEquals(once("was not valid UTF-8"), 1);
    assertStringIncludes(log, "line 2\uFFFD");
    assertEquals(once("octet-counted message"), 1);
    assertStringIncludes(log, "xx not a length");
  } finally {
    assertEquals(await svc.stop(), 0);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("syslog input: tcp with tls on, the syslog output over tls into it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_syslog_tls_" });
  const certs = await makeTestCerts(dir);
  if (!certs) {
    console.warn("openssl not found: syslog TLS test skipped");
    await Deno.remove(dir, { recursive: true });
    return;
  }
  const port = freePort();
  const svc = await startService(
    dir,
    `
service:
  flush: 0.1
pipeline:
  inputs:
    - name: syslog
      mode: tcp
      listen: 127.0.0.1
      port: ${port}
      format: octet_counting
      tls: on
      tls.crt_file: ${certs.certFile}
      tls.key_file: ${certs.keyFile}
      tag: received
    - name: dummy
      tag: sent
      samples: ${N}
      rate: 1000
      dummy: '{"msg": "over tls", "host": "web1"}'
  outputs:
    - name: syslog
      match: sent
      mode: tls
      host: 127.0.0.1
      port: ${port}
      tls: on
      tls.ca_file: ${certs.caFile}
      syslog_framing: octet_counting
      syslog_message_key: msg
      syslog_hostname_key: host
    - name: file
      match: received
      path: \${DIR}
      file: out.jsonl
      format: plain
`,
  );
  try {
    await until(() => records(dir).length >= N, `${N} records over TLS`, { timeout: 15_000 });
    const got = records(dir);
    assertEquals(got.length, N);
    assertEquals([got[0]!.host, got[0]!.message], ["web1", "\uFEFFover tls"]);
  } finally {
    assertEquals(await svc.stop(), 0);
    await Deno.remove(dir, { recursive: true });
  }
});
