/**
 * Network faults on the HTTP client, through the engine over real sockets: a peer that
 * disappears mid-write, a server that accepts and never answers, a TLS handshake that
 * fails with a bad_certificate alert. Each is retried with backoff until the peer
 * behaves; every record arrives, none twice (nothing reached the receiver before).
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { FaultFront } from "../src/testing/fault_front.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { selfSignedCert } from "../src/net/_testing.ts";
import { appendLines, idCounts, missingIds, startService } from "./_delivery.ts";

const N = 2000;

function config(port: number, extra = ""): string {
  return `
service:
  flush: 0.05
  grace: 10
  log_level: error
  scheduler.base: 0.05
  scheduler.cap: 0.2
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      read_from_head: true
      exit_on_eof: true
      buffer_chunk_size: 16k
  outputs:
    - name: http
      match: "*"
      port: ${port}
      format: json_lines
      retry_limit: no_limits
      http.response_timeout: 0.3
${extra}`;
}

function assertAllOnce(records: Record<string, unknown>[]): void {
  const counts = idCounts(records);
  assertEquals(missingIds(counts, N), []);
  assertEquals([...counts.values()].filter((c) => c > 1).length, 0, "no duplicates");
}

for (const fault of ["cut", "stall"] as const) {
  Deno.test(`http output retries through a peer that ${fault === "cut" ? "disappears mid-write" : "never answers"}`, async () => {
    const dir = await Deno.makeTempDir({ prefix: `sluice_fault_${fault}_` });
    await appendLines(`${dir}/in.log`, 0, N);
    const rx = await HttpReceiver.start();
    const front = FaultFront.start({ backendPort: rx.port, fault, faults: 3 });
    const svc = await startService(dir, config(front.port));
    try {
      assertEquals(await svc.done, 0, svc.lines.join(""));
      assertEquals(front.faulted, 3);
      assertAllOnce(rx.records());
      assert(svc.value("fluentbit_output_retries_total") >= 1, "retried");
      assertEquals(svc.value("fluentbit_output_dropped_records_total"), 0);
    } finally {
      await svc.stop();
      front.close();
      await rx.stop();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("http output retries a TLS handshake refused with bad_certificate, then delivers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_fault_tls_" });
  await appendLines(`${dir}/in.log`, 0, N);
  const cert = await selfSignedCert();
  const records: Record<string, unknown>[] = [];
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: cert.cert,
    key: cert.key,
    onListen() {},
  }, async (req) => {
    for (const line of (await req.text()).split("\n")) if (line) records.push(JSON.parse(line));
    return new Response(null, { status: 200 });
  });
  const front = FaultFront.start({ backendPort: server.addr.port, fault: "tls_alert", faults: 2 });
  const svc = await startService(
    dir,
    config(front.port, `      tls: on\n      tls.ca_file: ${cert.certFile}\n`),
  );
  try {
    assertEquals(await svc.done, 0, svc.lines.join(""));
    assertEquals(front.faulted, 2);
    assertAllOnce(records);
    assert(svc.value("fluentbit_output_retries_total") >= 1, "retried");
  } finally {
    await svc.stop();
    front.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(cert.dir, { recursive: true });
  }
});
