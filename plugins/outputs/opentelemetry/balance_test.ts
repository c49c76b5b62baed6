import { PartialWriteError } from "../../../src/engine/errors.ts";
import type { LogChunk, TraceChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { decodeLogs, decodeTraces, hexId } from "../../../src/otlp/mod.ts";
import { assert, assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { numberedSpanId, numberedTraceId, testSpan } from "../../../src/testing/spans.ts";
import type { OutputInstance } from "../../../src/plugin.ts";
import {
  chunkOf,
  groupEnd,
  groupStart,
  outputContext,
  outputOptions,
  type TestReceiver,
  testReceiver,
} from "./_testing.ts";
import type { OtlpOutputOptions } from "./options.ts";
import { plugin } from "./mod.ts";

/** The PartialWriteError `write` rejects with. */
async function partial(write: () => Promise<void>): Promise<PartialWriteError> {
  return await assertRejects(write, PartialWriteError) as PartialWriteError;
}

/** 60 traces of 3 spans each, the spans of a trace not next to each other. */
function spans(traces = 60) {
  const out = [];
  for (let s = 0; s < 3; s++) {
    for (let t = 0; t < traces; t++) {
      out.push(testSpan({ traceId: numberedTraceId(t), spanId: numberedSpanId(t * 3 + s) }));
    }
  }
  return out;
}

function tracesAt(rx: TestReceiver, from = 0): Map<string, number> {
  const got = new Map<string, number>();
  for (const r of rx.requests.slice(from)) {
    for (const s of decodeTraces(r.body, "protobuf")) {
      const id = hexId(s.traceId);
      got.set(id, (got.get(id) ?? 0) + 1);
    }
  }
  return got;
}

async function withReceivers(
  answers: ((n: number) => number)[],
  options: Partial<OtlpOutputOptions>,
  body: (out: OutputInstance, rxs: TestReceiver[]) => Promise<void>,
): Promise<void> {
  const rxs = answers.map((a) => testReceiver((n) => new Response(null, { status: a(n) })));
  const out = await plugin.create(
    outputOptions({ "lb.endpoints": rxs.map((r) => `127.0.0.1:${r.port}`), ...options }),
    outputContext(),
  );
  try {
    await body(out, rxs);
  } finally {
    await out.close?.();
    await Promise.all(rxs.map((r) => r.close()));
  }
}

Deno.test("balanced output: every trace goes whole to one endpoint, all endpoints get a share", async () => {
  await withReceivers([() => 200, () => 200, () => 200], {}, async (out, rxs) => {
    await out.write(chunkOf<TraceChunk>("traces", spans()));
    const seen = new Set<string>();
    for (const rx of rxs) {
      const got = tracesAt(rx);
      assert(got.size > 5, `endpoint got ${got.size} of 60 traces`);
      for (const [id, n] of got) {
        assertEquals(n, 3, `trace ${id} whole`);
        assert(!seen.has(id), `trace ${id} on one endpoint only`);
        seen.add(id);
      }
    }
    assertEquals(seen.size, 60);
  });
});

Deno.test("balanced output: a failing endpoint's records are retried by index, the rest delivered once", async () => {
  let down = true;
  await withReceivers([() => 200, () => (down ? 503 : 200), () => 200], {}, async (out, rxs) => {
    const chunk = chunkOf<TraceChunk>("traces", spans());
    const err = await partial(() => out.write(chunk));
    const failed = err.retry.map((i) => hexId(chunk.records[i]!.traceId));
    assertEquals(err.rejected.length, 0);
    assertEquals(new Set(failed).size * 3, failed.length, "whole traces are retried");
    // The engine writes the retried records again (narrowBatch): they go to the same endpoint.
    const again = chunkOf<TraceChunk>("traces", err.retry.map((i) => chunk.records[i]!));
    await assertRejects(() => out.write(again), PartialWriteError);
    down = false;
    const refused = rxs[1]!.requests.length;
    await out.write(again);
    assertEquals([...tracesAt(rxs[1]!, refused).keys()].sort(), [...new Set(failed)].sort());
    for (const rx of [rxs[0]!, rxs[2]!]) for (const n of tracesAt(rx).values()) assertEquals(n, 3);
  });
});

Deno.test("balanced output with lb.on_down failover moves a down endpoint's traces after N failures", async () => {
  const opts = { "lb.on_down": "failover" as const, "lb.failover_after": 2, "lb.down_time": 60 };
  await withReceivers([() => 200, () => 503, () => 200], opts, async (out, rxs) => {
    const chunk = chunkOf<TraceChunk>("traces", spans());
    const e1 = await partial(() => out.write(chunk));
    const again = chunkOf<TraceChunk>("traces", e1.retry.map((i) => chunk.records[i]!));
    await assertRejects(() => out.write(again), PartialWriteError); // second failure: down
    await out.write(again); // now placed on each trace's next choice
    const moved = new Set(e1.retry.map((i) => hexId(chunk.records[i]!.traceId)));
    const elsewhere = new Set([...tracesAt(rxs[0]!).keys(), ...tracesAt(rxs[2]!).keys()]);
    for (const id of moved) assert(elsewhere.has(id), `trace ${id} moved`);
    assertEquals(elsewhere.size, 60);
  });
});

Deno.test("balanced output routes a log's hex trace_id with its spans and repeats group markers", async () => {
  await withReceivers([() => 200, () => 200, () => 200], {}, async (out, rxs) => {
    const traceChunk = chunkOf<TraceChunk>("traces", spans(12));
    await out.write(traceChunk);
    const home = new Map<string, number>();
    rxs.forEach((rx, k) => {
      for (const id of tracesAt(rx).keys()) home.set(id, k);
    });
    for (const rx of rxs) rx.requests.length = 0;
    const logs: LogRecord[] = [groupStart("shop", { resource: 1, scope: 1 })];
    for (let t = 0; t < 12; t++) {
      const trace_id = hexId(numberedTraceId(t));
      logs.push({
        time: new EventTime(1_700_000_000, t),
        metadata: {},
        body: { msg: `l${t}`, trace_id }, // no log or message key: the record is the body
      });
    }
    logs.push(groupEnd());
    await out.write(chunkOf<LogChunk>("logs", logs));
    let total = 0;
    rxs.forEach((rx, k) => {
      for (const r of rx.requests) {
        const records = decodeLogs(r.body, "protobuf");
        assertEquals(records[0]!.time.sec, -1, "each part starts with the group's resource");
        for (const rec of records.filter((x) => x.time.sec >= 0)) {
          total++;
          assertEquals(home.get(String(rec.body.trace_id)), k);
        }
      }
    });
    assertEquals(total, 12);
  });
});

Deno.test("balanced output: an option the endpoints' outputs refuse is an error at create", async () => {
  const options = outputOptions({
    "lb.endpoints": ["127.0.0.1:4318"],
    tls: true,
    "tls.ca_file": "/nonexistent/ca.pem",
  });
  await assertRejects(async () => await plugin.create(options, outputContext()));
});
