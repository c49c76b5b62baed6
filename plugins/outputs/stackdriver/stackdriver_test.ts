import { defaultsOf } from "../../../src/config/options.ts";
import { PartialWriteError, RetryableError } from "../../../src/engine/errors.ts";
import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { logChunk, testFilterContext } from "../../../src/testing/filter_context.ts";
import { GoogleReceiver } from "../../../src/testing/google_receiver.ts";
import { serviceAccount } from "../../../src/testing/google_service_account.ts";
import { stackdriverOptions } from "./options.ts";
import { createStackdriverOutput } from "./stackdriver.ts";

Deno.test("stackdriver output: partial answers per entry, 401 refresh, and Fluent Bit's metrics", async () => {
  const g = await GoogleReceiver.start();
  const dir = await Deno.makeTempDir({ prefix: "sluice_sd_unit_" });
  const sa = await serviceAccount("w@p.iam.gserviceaccount.com", `${g.url}/token`);
  g.accounts.set(sa.email, sa.publicKey);
  await Deno.writeTextFile(`${dir}/key.json`, sa.keyFile);
  g.refuse = (e) =>
    (e.jsonPayload as { bad?: boolean }).bad ? { code: 3, message: "bad entry" } : undefined;
  const ctx = testFilterContext({ name: "stackdriver.0" });
  const out = createStackdriverOutput({
    ...defaultsOf(stackdriverOptions),
    google_service_credentials: `${dir}/key.json`,
    cloud_logging_base_url: g.url,
  }, ctx);
  const value = (m: string, labels: Record<string, string>) =>
    ctx.metrics.value(`fluentbit_stackdriver_${m}`, { ...labels, name: "stackdriver.0" });
  try {
    const chunk = logChunk([{ n: 0 }, { n: 1, bad: true }, { n: 2 }, {
      "logging.googleapis.com/insertId": 5,
    }]);
    const e = await assertRejects(() => out.write(chunk), PartialWriteError) as PartialWriteError;
    assertEquals(e.retry, []);
    assertEquals(e.rejected.map((r) => [r.index, r.reason]), [
      [3, "logging.googleapis.com/insertId should be a non-empty string"],
      [1, "code 3: bad entry"],
    ]);
    assertEquals(g.entries.map((x) => (x.jsonPayload as { n: number }).n), [0, 2]);
    assertEquals(value("proc_records_total", { grpc_code: "0", status: "400" }), 2);
    assertEquals(value("proc_records_total", { grpc_code: "3", status: "400" }), 1);
    assertEquals(value("failed_requests", {}), 1);

    g.expireTokens();
    await assertRejects(() => out.write(logChunk([{ n: 3 }])), RetryableError, "refreshing");
    assertEquals(value("retried_records_total", { status: "401" }), 1);
    await out.write(logChunk([{ n: 3 }]));
    assertEquals(value("successful_requests", {}), 1);
    assertEquals(value("requests_total", { status: "200" }), 1);
    assertEquals(g.tokenRequests.length, 2);
  } finally {
    await out.close?.();
    await g.stop();
  }
});
