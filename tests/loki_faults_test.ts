/**
 * The loki output's faults end to end through the CLI, against a Loki-compatible
 * receiver: out-of-order and too-far-behind entries dead-lettered alone with Loki's
 * reason, 429 retried, a wrong token and an untrusted certificate refused once with a
 * clear message, and Loki down for 30 s with nothing lost.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { LokiReceiver } from "../src/testing/loki_receiver.ts";
import { selfSignedCert } from "../src/testing/tls_certs.ts";
import { freePort, waitFor } from "./_helpers.ts";
import {
  deadLetterRecords,
  promMetric,
  range,
  startSluice,
  waitForDeadLetters,
} from "./_outputs.ts";

/** A config tailing `${DIR}/in.log` (JSON lines, time from `t` in epoch seconds) into loki. */
function tailConfig(port: number, metricsPort: number, output: string[] = []): string {
  return `service:
  flush: 0.2
  grace: 5
  log_level: info
  scheduler.base: 0.2
  scheduler.cap: 1
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${metricsPort}
  storage.path: \${DIR}/store
  storage.keep.rejected: on
parsers:
  - name: epoch_json
    format: json
    time_key: t
    time_format: "%s"
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      tag: app
      read_from_head: on
      parser: epoch_json
  outputs:
    - name: loki
      match: "*"
      port: ${port}
      workers: 1
${output.map((k) => `      ${k}\n`).join("")}`;
}

/** Lines `from..to-1` as JSON with time 1700000000+i, except `late` ids, `by` s older. */
function jsonLines(from: number, to: number, late: readonly number[] = [], by = 30): string {
  let text = "";
  for (let i = from; i < to; i++) {
    const t = 1700000000 + i - (late.includes(i) ? by : 0);
    text += JSON.stringify({ t: String(t), id: i, msg: `line ${i}` }) + "\n";
  }
  return text;
}

function ids(rx: LokiReceiver): number[] {
  return rx.lines().map((l) => Number(JSON.parse(l).id)).sort((a, b) => a - b);
}

Deno.test("loki output: out-of-order entries are dead-lettered with Loki's reason, the rest delivered once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_loki_ooo_" });
  const late = [50, 90, 120, 150, 180];
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 200, late));
  const rx = await LokiReceiver.start({ ordered: true });
  const mport = freePort();
  const svc = await startSluice(dir, tailConfig(rx.port, mport));
  try {
    const dlq = await waitForDeadLetters(dir, late.length, 30_000);
    assertEquals(dlq.map((d) => d.body.id), late);
    for (const d of dlq) {
      assertStringIncludes(d.reason, "entry out of order");
      assertEquals(d.status, 400);
    }
    assertEquals(ids(rx), range(0, 200).filter((i) => !late.includes(i)), "the rest, once each");
    assertEquals(await promMetric(mport, "sluice_output_dead_letter_records_total"), late.length);
    assertEquals(await promMetric(mport, "fluentbit_output_proc_records_total"), 200 - late.length);
    assertEquals(await promMetric(mport, "fluentbit_output_retries_total"), 0);
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("loki output: entries too far behind are dead-lettered with Loki's reason (unordered Loki)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_loki_behind_" });
  const late = [40, 80];
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 120, late, 3600));
  const rx = await LokiReceiver.start({ maxAgeNs: 60_000_000_000n });
  const mport = freePort();
  const svc = await startSluice(dir, tailConfig(rx.port, mport));
  try {
    const dlq = await waitForDeadLetters(dir, late.length, 30_000);
    assertEquals(dlq.map((d) => d.body.id), late);
    assertStringIncludes(dlq[0]!.reason, "entry too far behind, entry timestamp is: ");
    assertEquals(ids(rx), range(0, 120).filter((i) => !late.includes(i)));
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("loki output: 429 is retried (Retry-After honoured) until delivered", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_loki_429_" });
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 100));
  const rx = await LokiReceiver.start();
  rx.mode = { kind: "status", status: 429, retryAfter: "1", times: 2 };
  const mport = freePort();
  const svc = await startSluice(dir, tailConfig(rx.port, mport, ["retry_limit: 5"]));
  try {
    await waitFor(() => rx.lines().length >= 100, { what: "100 lines", timeoutMs: 30_000 });
    assertEquals(ids(rx), range(0, 100));
    assert(rx.requests.filter((r) => r.status === 429).length === 2, "two refusals first");
    assert(await promMetric(mport, "fluentbit_output_retries_total") >= 1);
    assertEquals(await deadLetterRecords(dir), []);
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("loki output: a wrong token is refused once with a clear message, not retried", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_loki_401_" });
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 50));
  const rx = await LokiReceiver.start({ bearer: "right" });
  const mport = freePort();
  const svc = await startSluice(
    dir,
    tailConfig(rx.port, mport, ["bearer_token: wrong", "retry_limit: no_limits"]),
  );
  try {
    const dlq = await waitForDeadLetters(dir, 50, 30_000);
    assertStringIncludes(dlq[0]!.reason, "Loki refused the credentials (HTTP 401)");
    assertEquals(dlq[0]!.status, 401);
    assertEquals(await promMetric(mport, "fluentbit_output_retries_total"), 0);
    assertEquals(rx.requests.length, await promMetric(mport, "fluentbit_output_errors_total"));
    assertStringIncludes(svc.log(), "check http_user/http_passwd, bearer_token and tenant_id");
  } finally {
    await svc.stop();
    await rx.stop();
  }
});

Deno.test("loki output: TLS with tls.ca_file; an untrusted certificate is refused, not retried", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_loki_tls_" });
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 30));
  const cert = await selfSignedCert();
  const rx = await LokiReceiver.start({ tls: { cert: cert.cert, key: cert.key }, bearer: "b" });
  const mport = freePort();
  const tls = ["tls: on", "bearer_token: b", "tenant_id: t1"];
  const svc = await startSluice(
    dir,
    tailConfig(rx.port, mport, [...tls, `tls.ca_file: ${cert.certFile}`]),
  );
  try {
    await waitFor(() => rx.lines().length >= 30, { what: "30 lines over TLS" });
    assertEquals(ids(rx), range(0, 30));
    assertEquals(rx.requests[0]!.headers.get("x-scope-orgid"), "t1");
  } finally {
    await svc.stop();
  }
  const dir2 = await Deno.makeTempDir({ prefix: "sluice_loki_tls_bad_" });
  await Deno.writeTextFile(`${dir2}/in.log`, jsonLines(0, 10));
  const bad = await startSluice(dir2, tailConfig(rx.port, freePort(), tls));
  try {
    const [first] = await waitForDeadLetters(dir2, 10);
    assertStringIncludes(first!.reason, "TLS certificate refused");
  } finally {
    await bad.stop();
    await rx.stop();
    await Deno.remove(cert.dir, { recursive: true });
  }
});

Deno.test("loki output: Loki down for 30 s, then back: everything buffered and delivered", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_loki_down_" });
  await Deno.writeTextFile(`${dir}/in.log`, jsonLines(0, 100));
  const rx = await LokiReceiver.start();
  const mport = freePort();
  const svc = await startSluice(dir, tailConfig(rx.port, mport, ["retry_limit: no_limits"]));
  try {
    await waitFor(() => rx.lines().length >= 100, { what: "the first 100", timeoutMs: 30_000 });
    await rx.down();
    await Deno.writeTextFile(`${dir}/in.log`, jsonLines(100, 300), { append: true });
    await waitFor(async () => await promMetric(mport, "fluentbit_output_retries_total") >= 2, {
      what: "retries while Loki is down",
      timeoutMs: 30_000,
    });
    await new Promise((r) => setTimeout(r, 30_000)); // the outage itself, not an assertion
    await rx.up();
    await waitFor(() => rx.lines().length >= 300, { what: "all 300", timeoutMs: 30_000 });
    assertEquals([...new Set(ids(rx))], range(0, 300), "none missing");
    assertEquals(await deadLetterRecords(dir), []);
  } finally {
    await svc.stop();
    await rx.stop();
  }
});
