import { assertEquals } from "../testing/assert.ts";
import type { Chunk, LogChunk } from "../event/chunk.ts";
import { EventTime } from "../event/event_time.ts";
import { Ack } from "../event/ack.ts";
import { Logger, memorySink } from "./log.ts";
import { MetricsRegistry } from "./metrics.ts";
import { compileTagMatcher, Router, type RouteTarget } from "./router.ts";
import type { ChunkHeader } from "./storage/chunk_file.ts";

Deno.test("compileTagMatcher: * matches any run of characters, dots and nothing included", () => {
  const m = compileTagMatcher({ match: "app.*" });
  assertEquals(m("app.web"), true);
  assertEquals(m("app.web.1"), true);
  assertEquals(m("app."), true);
  assertEquals(m("app"), false);
  assertEquals(m("xapp.web"), false);
  assertEquals(compileTagMatcher({ match: "*" })("anything"), true);
  assertEquals(compileTagMatcher({ match: "a*b*c" })("a.x.b.y.c"), true);
  assertEquals(compileTagMatcher({ match: "a*b*c" })("a.x.c"), false);
  assertEquals(compileTagMatcher({ match: "*.log" })("x.log"), true);
  assertEquals(compileTagMatcher({ match: "a**b" })("ab"), true);
});

Deno.test("compileTagMatcher is case-sensitive and exact without a wildcard", () => {
  assertEquals(compileTagMatcher({ match: "App" })("app"), false);
  assertEquals(compileTagMatcher({ match: "app" })("app"), true);
});

Deno.test("compileTagMatcher: match_regex wins and is anchored at the start only", () => {
  const m = compileTagMatcher({ match: "nothing", matchRegex: "app\\.(web|db)" });
  assertEquals(m("app.web"), true);
  assertEquals(m("app.db.extra"), true);
  assertEquals(m("x.app.web"), false);
});

Deno.test("compileTagMatcher with neither match nor match_regex matches nothing", () => {
  assertEquals(compileTagMatcher({})("x"), false);
});

function target(name: string, match: string, options: { hasProcessors?: boolean } = {}) {
  const queued: Chunk[] = [];
  return {
    name,
    matcher: compileTagMatcher({ match }),
    signals: ["logs"] as const,
    hasProcessors: options.hasProcessors ?? false,
    runner: { enqueue: (c: Chunk) => void queued.push(c) },
    queued,
  };
}

function logChunk(tag: string): LogChunk {
  const time = new EventTime(1, 0);
  return {
    signal: "logs",
    tag,
    input: "in.0",
    records: [{ time, metadata: {}, body: { log: "x" } }],
    bytes: 10,
    ack: new Ack(),
  };
}

function router<T extends RouteTarget>(outputs: T[]) {
  const metrics = new MetricsRegistry();
  const r = new Router(outputs, { log: new Logger({ sink: memorySink() }), metrics });
  const unrouted = () =>
    metrics.counter("sluice_input_unrouted_records_total", "").get({ name: "in.0" });
  return { r, unrouted };
}

Deno.test("Router.route() fans a chunk out under one hold per output, copying for processors", async () => {
  const plain = target("a", "app.*");
  const processed = target("b", "*", { hasProcessors: true });
  const other = target("c", "other");
  const { r, unrouted } = router([plain, processed, other]);
  const chunk = logChunk("app.web");
  r.route(chunk, { name: "in.0", routable: true });
  assertEquals([plain.queued.length, processed.queued.length, other.queued.length], [1, 1, 0]);
  assertEquals(plain.queued[0] === chunk, true);
  assertEquals(processed.queued[0] === chunk, false); // its own copy: processors may change it
  assertEquals(processed.queued[0]!.records, chunk.records);
  assertEquals(chunk.ack.settled, false);
  plain.queued[0]!.ack.release();
  assertEquals(chunk.ack.settled, false);
  processed.queued[0]!.ack.release();
  await chunk.ack.done;
  assertEquals(unrouted(), 0);
});

Deno.test("Router.route() counts an unmatched or unroutable chunk as unrouted and releases it", async () => {
  const only = target("a", "app.*");
  const { r, unrouted } = router([only]);
  const lost = logChunk("nothing.matches");
  r.route(lost, { name: "in.0", routable: true });
  await lost.ack.done;
  const held = logChunk("app.web");
  r.route(held, { name: "in.0", routable: false });
  await held.ack.done;
  assertEquals([only.queued.length, unrouted()], [0, 2]);
});

Deno.test("Router.storedTargets() prefers a stored chunk's routes, else its tag", () => {
  const a = target("a", "app.*");
  const b = target("b", "*");
  const { r } = router([a, b]);
  const header: ChunkHeader = {
    signal: "logs",
    tag: "app.web",
    input: "in.0",
    routes: ["b", "gone"],
    records: 1,
    bytes: 10,
    created: 0,
  };
  assertEquals(r.storedTargets(header).map((t) => t.name), ["b"]);
  assertEquals(r.storedTargets({ ...header, routes: ["gone"] }).map((t) => t.name), ["a", "b"]);
  assertEquals(r.storedTargets({ ...header, signal: "traces" }).map((t) => t.name), []);
});
