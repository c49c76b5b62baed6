import { PartialWriteError } from "../../../src/engine/errors.ts";
import { defaultsOf } from "../../../src/config/options.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START, logRecord } from "../../../src/event/log_record.ts";
import { assert, assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { TestKeys } from "../../../src/testing/aws_keys.ts";
import { CloudwatchReceiver } from "../../../src/testing/cloudwatch_receiver.ts";
import { logChunk, testFilterContext } from "../../../src/testing/filter_context.ts";
import { createCloudwatchOutput } from "./cloudwatch_logs.ts";
import { cloudwatchOptions } from "./options.ts";

const ENV = {
  AWS_ACCESS_KEY_ID: "AKIDUNIT",
  AWS_SECRET_ACCESS_KEY: "unit-secret",
  AWS_EC2_METADATA_DISABLED: "true",
};

async function withOutput(
  rx: CloudwatchReceiver,
  limits: { maxEvents: number; maxBytes: number; maxSpanMs: number } | undefined,
  fn: (out: ReturnType<typeof createCloudwatchOutput>) => Promise<void>,
) {
  const before = Object.fromEntries(Object.keys(ENV).map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(ENV)) Deno.env.set(k, v);
  const out = createCloudwatchOutput(
    {
      ...defaultsOf(cloudwatchOptions),
      region: "us-east-1",
      log_group_name: "g",
      log_stream_name: "s",
      endpoint: rx.url,
    },
    testFilterContext({ name: "cloudwatch_logs.0" }),
    { limits },
  );
  try {
    await fn(out);
  } finally {
    await out.close?.();
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  }
}

Deno.test("a failed batch is retried alone: PartialWriteError names only its records", async () => {
  const rx = CloudwatchReceiver.start(new TestKeys({ AKIDUNIT: "unit-secret" }));
  rx.createGroup("g");
  rx.errors.push({ action: "PutLogEvents", status: 503, code: "ServiceUnavailableException" });
  rx.errors[0]!.times = 1;
  const chunk = logChunk([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
  await withOutput(rx, { maxEvents: 2, maxBytes: 1 << 20, maxSpanMs: 3600_000 }, async (out) => {
    const err = await assertRejects(() => out.write(chunk), PartialWriteError);
    assert(err instanceof PartialWriteError);
    assertEquals([...err.retry].sort(), [0, 1], "the first batch of two failed");
    assertEquals(err.rejected, []);
    assertEquals(rx.events("g", "s").map((e) => JSON.parse(e.message).n), [2, 3, 4]);
  });
  await rx.stop();
});

Deno.test("OTLP group markers are not sent as events", async () => {
  const rx = CloudwatchReceiver.start(new TestKeys({ AKIDUNIT: "unit-secret" }));
  rx.createGroup("g");
  const chunk = logChunk([]);
  chunk.records = [
    logRecord({ resource: {} }, GROUP_START),
    logRecord({ msg: "a" }, new EventTime(Math.floor(Date.now() / 1000))),
    logRecord({}, GROUP_END),
  ];
  await withOutput(rx, undefined, async (out) => {
    await out.write(chunk);
  });
  assertEquals(rx.events("g", "s").map((e) => e.message), ['{"msg":"a"}']);
  assert(rx.requests.every((r) => r.status === 200));
  await rx.stop();
});
