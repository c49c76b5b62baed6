/**
 * `opentelemetry_envelope` with `content_modifier` on the OTLP resource and scope, the same
 * config through Fluent Bit 4.2.8 and through sluice into an OTLP/HTTP receiver: the decoded
 * requests carry the same resource attributes, scope, bodies and OTLP log fields. Skips
 * the Fluent Bit half when the peer binary is absent.
 */
import { decodeLogs, hexId } from "../src/otlp/mod.ts";
import type { LogRecord } from "../src/event/log_record.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { tempDirWith, waitFor } from "./_helpers.ts";
import { startReceiver, startSluice } from "./_otlp_helpers.ts";

function config(port: number, extra: string): string {
  return `
service:
  flush: 0.2
pipeline:
  inputs:
    - name: dummy
      tag: app
      dummy: '{"message": "payment failed", "level": "error", "sev": 17, "order": 42,
        "tid": "4bf92f3577b34da6a3ce929d0e0e4736", "sid": "00f067aa0ba902b7"}'
      samples: 3
      processors:
        logs:
          - name: opentelemetry_envelope
          - name: content_modifier
            context: otel_resource_attributes
            action: upsert
            key: service.name
            value: shop
          - name: content_modifier
            context: otel_resource_attributes
            action: insert
            key: deployment.environment
            value: test
          - name: content_modifier
            context: otel_scope_name
            action: upsert
            value: my-scope
  outputs:
    - name: opentelemetry
      match: '*'
      host: 127.0.0.1
      port: ${port}
${extra}`;
}

/** The logs the receiver got, group records included, in order. */
function received(rx: ReturnType<typeof startReceiver>): LogRecord[] {
  return rx.requests.filter((r) => r.path === "/v1/logs")
    .flatMap((r) => decodeLogs(r.body, "protobuf"));
}

/** What matters of a decoded request: the group's resource and scope, then each record. */
function shape(records: LogRecord[]): unknown[] {
  return records.map((r) => {
    if (r.time.sec === -1) {
      const b = r.body as { resource?: { attributes?: unknown }; scope?: unknown };
      return { resource: b.resource?.attributes, scope: b.scope };
    }
    if (r.time.sec === -2) return "end";
    const otlp = r.metadata.otlp as Record<string, unknown> | undefined;
    const hex = (v: unknown) => v instanceof Uint8Array ? hexId(v) : v;
    return {
      body: r.body,
      severity: otlp?.severity_text,
      number: otlp?.severity_number,
      attributes: otlp?.attributes,
      trace: hex(otlp?.trace_id),
      span: hex(otlp?.span_id),
    };
  });
}

async function run(
  extra: string,
  start: (yaml: string) => Promise<() => Promise<void>>,
): Promise<unknown[]> {
  const rx = startReceiver();
  const stop = await start(config(rx.port, extra));
  try {
    await waitFor(() => received(rx).filter((r) => r.time.sec >= 0).length >= 3, {
      what: "three log records at the receiver",
    });
  } finally {
    await stop();
    await rx.close();
  }
  return shape(received(rx).slice(0, 5));
}

function sluiceRun(extra: string): Promise<unknown[]> {
  return run(extra, async (yaml) => {
    const s = await startSluice(yaml);
    return async () => void assertEquals(await s.stop(), 0, s.stderr.join("\n"));
  });
}

async function fluentBitRun(extra: string): Promise<unknown[] | null> {
  const bin = await fluentBitPath();
  if (!bin) return null;
  return await run(extra, async (yaml) => {
    const dir = await tempDirWith({ "fb.yaml": yaml });
    const p = spawnFluentBit(bin, ["-c", `${dir}/fb.yaml`]);
    return async () => {
      await p.stop();
      assert(!/\[error\]/.test(p.stdout() + p.stderr()), p.stderr());
      await Deno.remove(dir, { recursive: true });
    };
  });
}

const KEYS = "      logs_body_key: $message\n      logs_severity_text_message_key: level\n";

Deno.test("opentelemetry_envelope + content_modifier: sluice sends what Fluent Bit sends", async () => {
  const sluice = await sluiceRun(KEYS);
  assertEquals(sluice[0], {
    resource: { "service.name": "shop", "deployment.environment": "test" },
    scope: { name: "my-scope" },
  });
  assertEquals((sluice[1] as { body: unknown }).body, { log: "payment failed" });
  assertEquals(sluice[2], "end");
  const fb = await fluentBitRun(KEYS);
  if (fb === null) return void console.log(NO_PEER);
  assertEquals(sluice, fb);
});

Deno.test("no logs_body_key: the body is $log or else $message, as Fluent Bit's defaults", async () => {
  const sluice = await sluiceRun("");
  assertEquals((sluice[1] as { body: unknown }).body, { log: "payment failed" });
  const fb = await fluentBitRun("");
  if (fb === null) return void console.log(NO_PEER);
  assertEquals(sluice, fb);
});

Deno.test("logs_body_key_attributes and the trace, span and severity message keys as Fluent Bit has them", async () => {
  const extra = KEYS + `      logs_body_key_attributes: true
      logs_trace_id_message_key: tid
      logs_span_id_message_key: sid
      logs_severity_number_message_key: sev
`;
  const sluice = await sluiceRun(extra);
  const rec = sluice[1] as Record<string, unknown>;
  assertEquals([rec.trace, rec.span, rec.number], [
    "4bf92f3577b34da6a3ce929d0e0e4736",
    "00f067aa0ba902b7",
    17,
  ]);
  const fb = await fluentBitRun(extra);
  if (fb === null) return void console.log(NO_PEER);
  assertEquals(sluice, fb);
});
