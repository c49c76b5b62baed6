import { assert, assertEquals } from "../../../src/testing/assert.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { buildMultilineRegistry } from "../../../src/multiline/mod.ts";
import { multilineStage, type Source } from "./multiline.ts";
import {
  Channel,
  collect,
  type CountingAck,
  FakeClock,
  logChunk,
  logsOf,
  settle,
} from "./_testing.ts";

const registry = buildMultilineRegistry([]);

function setup(flushMs = 2000) {
  const clock = new FakeClock();
  const asm = registry.assembler<Source>(["java"], { keyContent: "log", flushMs, now: clock.now });
  const source = new Channel<Chunk>();
  const out = collect(multilineStage(asm, { clock })(source));
  return { clock, source, out };
}

const START = "java.lang.IllegalStateException: boom";
const AT1 = "    at com.example.A.run(A.java:10)";
const AT2 = "    at com.example.B.main(B.java:20)";

Deno.test("multilineStage() joins a trace split over chunks; sources settle after the output", async () => {
  const { source, out } = setup();
  const c1 = logChunk([START, AT1]);
  const c2 = logChunk([AT2, "INFO next request"]);
  source.push(c1);
  await settle();
  assertEquals(out.chunks.length, 0);
  source.push(c2);
  await settle();
  assertEquals(logsOf(out.chunks), [[START, AT1, AT2].join("\n"), "INFO next request"]);
  const emitted = out.chunks[0]!;
  assertEquals([emitted.tag, emitted.input], ["app", "tail.0"]);
  assert(!c1.ack.settled && !c2.ack.settled, "sources wait for the emitted chunk's ack");
  emitted.ack.release(); // the engine routed it and every output finished
  await settle();
  assert(c1.ack.settled && c2.ack.settled);
  assertEquals([c1.ack.releases, c2.ack.releases], [1, 1]);
  source.end();
  await out.done;
});

Deno.test("multilineStage() flushes a held message when the flush timer fires", async () => {
  const { clock, source, out } = setup(2000);
  const c1 = logChunk([START, AT1]);
  source.push(c1);
  await settle();
  assertEquals(clock.sleeping, 1);
  clock.set(1999);
  await settle();
  assertEquals(out.chunks.length, 0);
  clock.set(2000);
  await settle();
  assertEquals(logsOf(out.chunks), [`${START}\n${AT1}`]);
  assert(!c1.ack.settled);
  out.chunks[0]!.ack.release();
  await settle();
  assert(c1.ack.settled);
  assertEquals(clock.sleeping, 0, "no timer while nothing is held");
  source.end();
  await out.done;
});

Deno.test("multilineStage() flushes everything when the upstream ends", async () => {
  const { source, out } = setup();
  const c1 = logChunk([START, AT1], { tag: "a" });
  const c2 = logChunk([START], { tag: "b" });
  source.push(c1);
  source.push(c2);
  await settle();
  assertEquals(out.chunks.length, 0);
  source.end();
  await out.done;
  assertEquals(out.chunks.map((c) => c.tag), ["a", "b"]);
  assertEquals(logsOf(out.chunks), [`${START}\n${AT1}`, START]);
  for (const c of out.chunks) c.ack.release();
  await settle();
  assert(c1.ack.settled && c2.ack.settled);
});

Deno.test("multilineStage() passes lone lines on and other signals untouched", async () => {
  const { source, out } = setup();
  const plain = logChunk(["a", "b"]);
  const empty = logChunk([]);
  const traces = { ...logChunk([]), signal: "traces" as const, records: [] };
  source.push(plain);
  source.push(empty);
  source.push(traces);
  await settle();
  assert(empty.ack.settled, "an empty chunk is released at once");
  assertEquals(out.chunks.length, 2);
  assertEquals(logsOf([out.chunks[0]!]), ["a", "b"]);
  assert(out.chunks[0]!.ack !== plain.ack, "emitted with its own ack");
  assert(out.chunks[1] === traces);
  assert(!plain.ack.settled);
  out.chunks[0]!.ack.release();
  await settle();
  assertEquals(plain.ack.releases, 1);
  source.end();
  await out.done;
});

Deno.test("multilineStage() releases every source ack exactly once, never early", async () => {
  const { clock, source, out } = setup(1000);
  const sources: { chunk: ReturnType<typeof logChunk>; lines: string[] }[] = [];
  const owner = new Map<string, CountingAck>();
  let n = 0;
  const line = (kind: "start" | "at" | "plain") =>
    kind === "start"
      ? `java.lang.RuntimeException: e${n++}`
      : kind === "at"
      ? `    at X.m${n++}(X.java:1)`
      : `plain ${n++}`;
  const plan: ("start" | "at" | "plain")[][] = [
    ["plain", "start"],
    ["at", "at"],
    ["at"],
    ["plain", "start", "at"],
    ["start"],
    ["at", "plain", "plain"],
    ["start", "at"],
  ];
  const released = new Set<Chunk>();
  let earlyChecks = 0;
  for (const [i, kinds] of plan.entries()) {
    const lines = kinds.map(line);
    const chunk = logChunk(lines, { tag: i % 2 ? "odd" : "even" });
    for (const l of lines) owner.set(l, chunk.ack);
    sources.push({ chunk, lines });
    source.push(chunk);
    await settle();
    if (i === 3) {
      clock.set(5000); // let pending messages time out mid-stream
      await settle();
    }
    // Release all but the newest emitted chunk, then check no source settled early.
    for (const c of out.chunks.slice(0, -1)) {
      if (!released.has(c)) {
        released.add(c);
        c.ack.release();
      }
    }
    await settle();
    const unreleasedLines = out.chunks.filter((c) => !released.has(c)).flatMap((c) =>
      logsOf([c]).flatMap((l) => String(l).split("\n"))
    );
    for (const { chunk, lines } of sources) {
      const waiting = lines.some((l) => unreleasedLines.includes(l));
      if (!waiting) continue;
      earlyChecks++;
      assert(!chunk.ack.settled, `a source settled before its output: ${lines}`);
    }
  }
  assert(earlyChecks >= plan.length, `only ${earlyChecks} sources checked while waiting`);
  source.end();
  await out.done;
  for (const c of out.chunks) if (!released.has(c)) c.ack.release();
  await settle();
  const emittedLines = logsOf(out.chunks).flatMap((l) => String(l).split("\n"));
  assertEquals(emittedLines.sort(), [...owner.keys()].sort(), "every line emitted once");
  for (const { chunk } of sources) {
    assert(chunk.ack.settled);
    assertEquals(chunk.ack.releases, 1);
  }
});

Deno.test("multilineStage() stopped early leaves held sources unsettled and stops the upstream", async () => {
  const clock = new FakeClock();
  const asm = registry.assembler<Source>(["java"], { keyContent: "log", now: clock.now });
  const source = new Channel<Chunk>();
  const held = logChunk([START]);
  source.push(logChunk(["plain"]));
  source.push(held);
  for await (const c of multilineStage(asm, { clock })(source)) {
    assertEquals(logsOf([c]), ["plain"]);
    break;
  }
  await settle();
  assert(!held.ack.settled, "its record was never delivered");
  assert(source.returned);
});
