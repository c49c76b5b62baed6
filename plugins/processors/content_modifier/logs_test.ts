import { assert, assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import { MAP_CASES } from "./_cases.ts";
import { sha256Hex } from "./convert.ts";
import { groupEnd, groupStart, logChunk, modifier, record } from "./_testing.ts";

/** Where each log map context keeps its map: put it there, read it back. */
const MAP_CONTEXTS: Record<string, (map: RecordMap) => [LogRecord[], () => unknown]> = {
  body: (map) => {
    const r = record(map);
    return [[r], () => r.body];
  },
  metadata: (map) => {
    const r = record({ log: "x" }, map);
    return [[r], () => r.metadata];
  },
  attributes: (map) => {
    const r = record({ log: "x" }, map);
    return [[r], () => r.metadata];
  },
  otel_log_attributes: (map) => {
    const r = record({ log: "x" }, { otlp: { attributes: map } });
    return [
      [groupStart({ resource: {}, scope: {} }), r, groupEnd()],
      () => (r.metadata.otlp as RecordMap).attributes,
    ];
  },
  otel_resource_attributes: (map) => {
    const g = groupStart({ resource: { attributes: map }, scope: {} });
    return [[g, record({ log: "x" }), groupEnd()], () => (g.body.resource as RecordMap).attributes];
  },
  otel_scope_attributes: (map) => {
    const g = groupStart({ resource: {}, scope: { name: "s", attributes: map } });
    return [[g, record({ log: "x" }), groupEnd()], () => (g.body.scope as RecordMap).attributes];
  },
};

for (const [context, place] of Object.entries(MAP_CONTEXTS)) {
  for (const c of MAP_CASES) {
    Deno.test(`content_modifier logs ${context}: ${c.name}`, () => {
      const [records, read] = place(structuredClone(c.before));
      const { process } = modifier({ ...c.options, context });
      const chunk = logChunk(records);
      assert(process(chunk) === chunk, "the same chunk, changed in place");
      assertEquals(read(), c.after);
      assertEquals(Object.keys(read() as RecordMap), Object.keys(c.after), "key order");
    });
  }
}

Deno.test("content_modifier logs: body is the default context; group markers are left alone", () => {
  const { process } = modifier({ action: "upsert", key: "k", value: "v" });
  const g = groupStart({ resource: {}, scope: {} });
  const chunk = logChunk([g, record({ a: 1 }), groupEnd()]);
  process(chunk);
  assertEquals(chunk.records.map((r) => r.body), [
    { resource: {}, scope: {} },
    { a: 1, k: "v" },
    {},
  ]);
});

Deno.test("content_modifier logs otel_log_attributes: insert creates otlp.attributes, delete does not", () => {
  const r = record({ log: "x" });
  modifier({ action: "insert", context: "otel_log_attributes", key: "a", value: "b" }).process(
    logChunk([r]),
  );
  assertEquals(r.metadata, { otlp: { attributes: { a: "b" } } });
  const bare = record({ log: "x" });
  modifier({ action: "delete", context: "otel_log_attributes", key: "a" }).process(
    logChunk([bare]),
  );
  assertEquals(bare.metadata, {});
  const broken = record({ log: "x" }, { otlp: "broken" });
  modifier({ action: "insert", context: "otel_log_attributes", key: "a", value: "b" }).process(
    logChunk([broken]),
  );
  assertEquals(broken.metadata, { otlp: "broken" }, "a non-map otlp is left alone, as Fluent Bit");
});

Deno.test("content_modifier logs otel_resource_attributes: creates attributes, skips plain records", () => {
  const g = groupStart({ resource: {}, scope: {} });
  const plain = record({ log: "x" });
  modifier({ action: "upsert", context: "otel_resource_attributes", key: "a", value: "b" })
    .process(logChunk([plain, g, record({ log: "y" }), groupEnd()]));
  assertEquals(g.body.resource, { attributes: { a: "b" } });
  assertEquals(plain.body, { log: "x" });
});

Deno.test("content_modifier logs: a resource attributes map shared by two groups is hashed once", () => {
  const attrs = { k: "value" };
  const chunk: LogChunk = logChunk([
    groupStart({ resource: { attributes: attrs }, scope: {} }),
    record({ log: "x" }),
    groupEnd(),
    groupStart({ resource: { attributes: attrs }, scope: { name: "other" } }),
    record({ log: "y" }),
    groupEnd(),
  ]);
  modifier({ action: "hash", context: "otel_resource_attributes", key: "k" }).process(chunk);
  assertEquals(attrs.k, sha256Hex("value"));
});

Deno.test("content_modifier logs otel_scope_name/version: insert, upsert, delete, hash on the scope", () => {
  const run = (options: Record<string, string>, scope?: RecordMap) => {
    const g = groupStart(scope === undefined ? { resource: {} } : { resource: {}, scope });
    modifier(options).process(logChunk([g, record({ log: "x" }), groupEnd()]));
    return g.body.scope;
  };
  const name = { context: "otel_scope_name" };
  assertEquals(run({ ...name, action: "insert", value: "n" }), { name: "n" }, "scope created");
  assertEquals(run({ ...name, action: "insert", value: "n" }, { name: "old" }), { name: "old" });
  assertEquals(run({ ...name, action: "upsert", value: "n" }, { name: "old", version: "1" }), {
    name: "n",
    version: "1",
  });
  assertEquals(run({ ...name, action: "delete" }, { name: "old", version: "1" }), { version: "1" });
  assertEquals(run({ ...name, action: "hash" }, { name: "value" }), { name: sha256Hex("value") });
  const version = { context: "otel_scope_version", key: "version" };
  assertEquals(run({ ...version, action: "upsert", value: "3.1.0" }, { name: "s" }), {
    name: "s",
    version: "3.1.0",
  });
  assertEquals(run({ ...version, action: "delete" }, { version: "1" }), {});
});

Deno.test("content_modifier logs: a traces-only context leaves logs alone and says so once", () => {
  const { process, lines } = modifier({ action: "upsert", context: "span_name", value: "x" });
  const r = record({ a: 1 });
  process(logChunk([r]));
  process(logChunk([r]));
  assertEquals(r.body, { a: 1 });
  assertEquals(lines.length, 1);
  assertStringIncludes(lines[0]!, "context span_name does not apply to logs");
});
