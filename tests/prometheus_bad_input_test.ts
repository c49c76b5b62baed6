/**
 * Bad input on sluice's Prometheus path, through the CLI: a malformed exposition (bad lines,
 * a huge label set, duplicate series, NaN/Inf) keeps its good lines, counts and logs the rest
 * once; a target answering 500 is logged once per failing streak and scraped again; a
 * remote-write receiver answering 400 gets the request once (permanent: dropped and counted),
 * 500 and 429 are retried until it takes the request.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { decodeWriteRequest } from "../src/metrics/prometheus/remote_write.ts";
import { unsnappyBlock } from "../src/net/http_client/compress.ts";
import { waitFor } from "./_helpers.ts";
import { promMetric, startSluice } from "./_outputs.ts";
import { freePort, metricsConfig, serveTarget } from "./_prometheus.ts";

const huge = Array.from({ length: 2000 }, (_, i) => `l${i}="v"`).join(",");
const MALFORMED = [
  "# TYPE ok_total counter",
  'ok_total{a="1"} 5',
  'ok_total{a="1"} 6',
  "broken{a=1} 2",
  'unterminated{a="x} 3',
  `huge{${huge}} 1`,
  "# TYPE g gauge",
  'g{v="nan"} NaN',
  'g{v="inf"} +Inf',
  "g notanumber",
  "",
].join("\n");

const monitoring = (port: number) =>
  `  http_server: on\n  http_listen: 127.0.0.1\n  http_port: ${port}\n`;

Deno.test({
  name: "a malformed exposition: good lines kept, bad ones counted and logged once",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const target = serveTarget(MALFORMED);
  const out = freePort(), mon = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_prom_bad_" });
  const run = await startSluice(
    dir,
    metricsConfig(
      `    - name: prometheus_scrape\n      host: 127.0.0.1\n      port: ${target.port}\n` +
        "      scrape_interval: 0.3s\n      tag: scraped",
      `    - name: prometheus_exporter\n      match: scraped\n      host: 127.0.0.1\n` +
        `      port: ${out}`,
      monitoring(mon),
    ),
  );
  try {
    const text = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${out}/metrics`);
      const body = await res.text();
      return res.ok ? body : undefined;
    }, { what: "the exporter to serve", timeoutMs: 20_000 });
    assertStringIncludes(text!, 'ok_total{a="1"} 5\n');
    assertStringIncludes(text!, 'g{v="nan"} NaN\n');
    assertStringIncludes(text!, 'g{v="inf"} +Inf\n');
    assert(!text!.includes("broken") && !text!.includes("huge"), text);
    await waitFor(() => target.scrapes >= 3, { what: "three scrapes" });
    const bad = await waitFor(async () => {
      const n = await promMetric(mon, "sluice_prometheus_scrape_bad_lines_total");
      return n >= 12 ? n : 0; // 4 bad lines a scrape
    }, { what: "bad lines counted" });
    assertEquals(bad! % 4, 0);
    assert(await promMetric(mon, "sluice_prometheus_scrape_duplicate_samples_total") >= 3);
    const log = run.log();
    assertEquals(log.match(/unreadable line/g)?.length, 1, log);
    assertStringIncludes(log, 'line 4: expected \'"\' for label "a"');
    assertEquals(log.match(/gave 1 series twice/g)?.length, 1, log);
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a target answering 500 is logged once per failing streak and scraped again",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const target = serveTarget("up 1\n");
  target.status = 500;
  const out = freePort(), mon = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_prom_500_" });
  const run = await startSluice(
    dir,
    metricsConfig(
      `    - name: prometheus_scrape\n      host: 127.0.0.1\n      port: ${target.port}\n` +
        "      scrape_interval: 0.2s\n      tag: scraped",
      `    - name: prometheus_exporter\n      match: scraped\n      host: 127.0.0.1\n` +
        `      port: ${out}`,
      monitoring(mon),
    ),
  );
  try {
    await waitFor(() => target.scrapes >= 4, { what: "four failed scrapes" });
    assertEquals((await fetch(`http://127.0.0.1:${out}/metrics`)).status, 404);
    target.status = undefined;
    await waitFor(async () => (await fetch(`http://127.0.0.1:${out}/metrics`)).ok, {
      what: "the scrape to recover",
    });
    const log = run.log();
    assertEquals(log.match(/http status code error: \[\/metrics\] 500/g)?.length, 1, log);
    assertStringIncludes(log, "recovered");
    assert(await promMetric(mon, "sluice_prometheus_scrape_scrapes_total", 'result="status"') >= 4);
  } finally {
    assertEquals(await run.stop(), 0, run.log());
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

async function remoteWriteAgainst(status: number, times?: number) {
  const receiver = await HttpReceiver.start({ mode: { kind: "status", status, times } });
  const target = serveTarget('# TYPE hits_total counter\nhits_total{code="200"} 7\n');
  const mon = freePort();
  const dir = await Deno.makeTempDir({ prefix: "sluice_prom_rw_status_" });
  const run = await startSluice(
    dir,
    metricsConfig(
      `    - name: prometheus_scrape\n      host: 127.0.0.1\n      port: ${target.port}\n` +
        "      scrape_interval: 60s\n      tag: scraped",
      `    - name: prometheus_remote_write\n      match: scraped\n      host: 127.0.0.1\n` +
        `      port: ${receiver.port}\n      uri: /api/v1/write\n      retry_limit: 5`,
      monitoring(mon),
    ),
  );
  return { receiver, target, mon, dir, run };
}

Deno.test({
  name: "a remote-write receiver answering 400: sent once, dropped and counted, not retried",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const { receiver, target, mon, dir, run } = await remoteWriteAgainst(400);
  try {
    await waitFor(
      async () => await promMetric(mon, "fluentbit_output_dropped_records_total") >= 1,
      {
        what: "the refused chunk counted as dropped",
      },
    );
    assertEquals(receiver.requests.length, 1, "a 400 is not retried");
    assertEquals(await promMetric(mon, "fluentbit_output_retries_total"), 0);
    const r = receiver.requests[0]!;
    assertEquals(r.headers.get("content-encoding"), "snappy");
    assertEquals(r.headers.get("content-type"), "application/x-protobuf");
    assertEquals(r.headers.get("x-prometheus-remote-write-version"), "0.1.0");
    assertStringIncludes(run.log(), "dropped 1 records: rejected: ");
    assertStringIncludes(run.log(), "answered HTTP 400");
  } finally {
    // sluice exits non-zero when it dropped records.
    await run.stop();
    await receiver.stop();
    await target.close();
    await Deno.remove(dir, { recursive: true });
  }
});

for (const status of [500, 429]) {
  Deno.test({
    name: `a remote-write receiver answering ${status}: retried until it takes the series`,
    sanitizeResources: false,
    sanitizeOps: false,
  }, async () => {
    const { receiver, target, mon, dir, run } = await remoteWriteAgainst(status, 2);
    try {
      await waitFor(() => receiver.delivered.length >= 1, { what: "the write delivered" });
      assertEquals(receiver.requests.length, 3, "two refusals, then the write");
      assert(await promMetric(mon, "fluentbit_output_retries_total") >= 2);
      assertEquals(await promMetric(mon, "fluentbit_output_dropped_records_total"), 0);
      const body = unsnappyBlock(receiver.delivered[0]!.body);
      assertEquals(decodeWriteRequest(body).series.map((s) => [s.labels, s.samples[0]![0]]), [
        [{ __name__: "hits_total", code: "200" }, 7],
      ]);
    } finally {
      assertEquals(await run.stop(), 0, run.log());
      await receiver.stop();
      await target.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}
