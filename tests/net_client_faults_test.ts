/**
 * Network faults on the HTTP client, through the engine over real sockets: a peer that
 * disappears mid-write, a server that accepts and never answers, a TLS handshake that
 * fails with a bad_certificate alert. Each is retried with backoff until the peer
 * behaves; every record arrives, none twice (nothing reached the receiver before).
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { FaultFront } from "../src/testing/fault_front.ts";
import { HttpReceiver } from "../src/testing/http_receiver.ts";
import { selfSignedCert, tlsServer } from "../src/testing/tls_certs.ts";
import { appendLines, idCounts, missingIds, startService, tailToHttp } from "./_delivery.ts";

const N = 2000;

function config(port: number, output: readonly string[] = []): string {
  return tailToHttp(port, {
    output: ["retry_limit: no_limits", "http.response_timeout: 0.3", ...output],
  });
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
  const server = tlsServer(cert);
  const front = FaultFront.start({ backendPort: server.port, fault: "tls_alert", faults: 2 });
  const svc = await startService(
    dir,
    config(front.port, ["tls: on", `tls.ca_file: ${cert.certFile}`]),
  );
  try {
    assertEquals(await svc.done, 0, svc.lines.join(""));
    assertEquals(front.faulted, 2);
    assertAllOnce(
      server.bodies.flatMap((b) => b.split("\n").filter(Boolean).map((l) => JSON.parse(l))),
    );
    assert(svc.value("fluentbit_output_retries_total") >= 1, "retried");
  } finally {
    await svc.stop();
    front.close();
    await server.close();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(cert.dir, { recursive: true });
  }
});
