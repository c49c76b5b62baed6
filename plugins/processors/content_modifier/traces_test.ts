import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../../../src/testing/assert.ts";
import { emptyResource, emptyScope, type Span } from "../../../src/event/span.ts";
import { decodeTraces, encodeTraces } from "../../../src/otlp/mod.ts";
import { MAP_CASES } from "./_cases.ts";
import { sha256Hex } from "./convert.ts";
import { logChunk, modifier, record, span, traceChunk } from "./_testing.ts";

/** Where each trace map context keeps its map: two spans sharing resource and scope. */
const MAP_CONTEXTS: Record<string, (map: Record<string, unknown>) => [Span[], () => unknown]> = {
  span_attributes: (map) => {
    const s = span({ attributes: map as Span["attributes"] });
    return [[s], () => s.attributes];
  },
  otel_resource_attributes: (map) => {
    const resource = { ...emptyResource(), attributes: map as Span["attributes"] };
    return [[span({ resource }), span({ resource })], () => resource.attributes];
  },
  otel_scope_attributes: (map) => {
    const scope = { ...emptyScope(), attributes: map as Span["attributes"] };
    return [[span({ scope }), span({ scope })], () => scope.attributes];
  },
};

for (const [context, place] of Object.entries(MAP_CONTEXTS)) {
  for (const c of MAP_CASES) {
    Deno.test(`content_modifier traces ${context}: ${c.name}`, () => {
      const [spans, read] = place(structuredClone(c.before));
      const chunk = traceChunk(spans);
      assert(modifier({ ...c.options, context }).process(chunk) === chunk);
      assertEquals(read(), c.after);
      assertEquals(Object.keys(read() as object), Object.keys(c.after), "key order");
    });
  }
}

Deno.test("content_modifier traces: span_attributes is the default context", () => {
  const s = span({ attributes: { a: "1" } });
  modifier({ action: "upsert", key: "k", value: "v" }).process(traceChunk([s]));
  assertEquals(s.attributes, { a: "1", k: "v" });
});

Deno.test("content_modifier traces: a shared resource is changed once, across chunks too", () => {
  const resource = { ...emptyResource(), attributes: { k: "value" } };
  const { process } = modifier({ action: "hash", context: "otel_resource_attributes", key: "k" });
  process(traceChunk([span({ resource }), span({ resource })]));
  process(traceChunk([span({ resource })]));
  assertEquals(resource.attributes.k, sha256Hex("value"));
  const other = { ...emptyResource(), attributes: { k: "value" } };
  process(traceChunk([span({ resource: other })]));
  assertEquals(other.attributes.k, sha256Hex("value"), "another resource object is changed");
});

Deno.test("content_modifier traces: null span attributes are created on insert, left on delete", () => {
  const s = span();
  (s as unknown as Record<string, unknown>).attributes = null;
  modifier({ action: "delete", key: "k" }).process(traceChunk([s]));
  assertEquals(s.attributes, null);
  modifier({ action: "insert", key: "k", value: "v" }).process(traceChunk([s]));
  assertEquals(s.attributes, { k: "v" });
});

Deno.test("content_modifier traces span_name: insert fills an empty name, upsert, delete, hash", () => {
  const run = (options: Record<string, string>, name: string) => {
    const s = span({ name });
    modifier({ context: "span_name", ...options }).process(traceChunk([s]));
    return s.name;
  };
  assertEquals(run({ action: "insert", value: "n" }, ""), "n");
  assertEquals(run({ action: "insert", value: "n" }, "old"), "old");
  assertEquals(run({ action: "upsert", value: "n" }, "old"), "n");
  assertEquals(run({ action: "delete" }, "old"), "");
  assertEquals(run({ action: "hash" }, "value"), sha256Hex("value"));
});

Deno.test("content_modifier traces span_name: extract puts named groups into span attributes", () => {
  const s = span({ name: "GET /users/42" });
  modifier({
    context: "span_name",
    action: "extract",
    pattern: "^(?<method>\\w+) /users/(?<id>\\d+)",
  })
    .process(traceChunk([s]));
  assertEquals(s.attributes, { method: "GET", id: "42" });
  assertEquals(s.name, "GET /users/42");
});

Deno.test("content_modifier traces span_kind: names or numbers; insert only when unspecified", () => {
  const run = (options: Record<string, string>, kind: number) => {
    const s = span({ kind });
    modifier({ context: "span_kind", ...options }).process(traceChunk([s]));
    return s.kind;
  };
  assertEquals(run({ action: "upsert", value: "server" }, 1), 2);
  assertEquals(run({ action: "upsert", value: "SPAN_KIND_CLIENT" }, 0), 3);
  assertEquals(run({ action: "upsert", value: "5" }, 0), 5);
  assertEquals(run({ action: "insert", value: "SERVER" }, 0), 2);
  assertEquals(run({ action: "insert", value: "SERVER" }, 3), 3);
  assertEquals(run({ action: "delete" }, 3), 0);
  assertThrows(
    () => modifier({ context: "span_kind", action: "upsert", value: "SERVR" }),
    RangeError,
    "span kind",
  );
});

Deno.test("content_modifier traces span_status: code by name, message by key", () => {
  const s = span();
  modifier({ context: "span_status", action: "upsert", value: "error" }).process(traceChunk([s]));
  assertEquals(s.status, { code: 2, message: "" });
  modifier({ context: "span_status", action: "insert", value: "OK" }).process(traceChunk([s]));
  assertEquals(s.status.code, 2, "insert leaves a set status");
  modifier({ context: "span_status", key: "message", action: "upsert", value: "boom" }).process(
    traceChunk([s]),
  );
  assertEquals(s.status, { code: 2, message: "boom" });
  modifier({ context: "span_status", action: "delete" }).process(traceChunk([s]));
  assertEquals(s.status.code, 0);
  const bare = span();
  delete (bare as Partial<Span>).status;
  modifier({ context: "span_status", action: "insert", value: "OK" }).process(traceChunk([bare]));
  assertEquals(bare.status, { code: 1, message: "" }, "an absent status is created");
});

Deno.test("content_modifier traces otel_scope_name/version change each scope object once", () => {
  const scope = { ...emptyScope(), name: "lib" };
  const missing = emptyScope();
  const chunk = traceChunk([span({ scope }), span({ scope }), span({ scope: missing })]);
  modifier({ context: "otel_scope_version", action: "insert", value: "3.1.0" }).process(chunk);
  assertEquals([scope.version, missing.version], ["3.1.0", "3.1.0"]);
  modifier({ context: "otel_scope_name", action: "hash" }).process(chunk);
  assertEquals([scope.name, missing.name], [sha256Hex("lib"), ""]);
  modifier({ context: "otel_scope_name", action: "delete" }).process(chunk);
  assertEquals(scope.name, "");
  modifier({ context: "otel_scope_name", action: "upsert", value: "x" }).process(chunk);
  assertEquals([scope.name, missing.name], ["x", "x"]);
});

Deno.test("content_modifier traces: a logs-only context leaves spans alone and says so once", () => {
  const { process, lines } = modifier({ context: "body", action: "upsert", key: "k", value: "v" });
  const s = span();
  process(traceChunk([s]));
  assertEquals(s.attributes, {});
  assertStringIncludes(lines.join(""), "context body does not apply to traces");
  process(logChunk([record({})]));
});

Deno.test("content_modifier traces: a span decoded from OTLP is encoded with its change", () => {
  const body = encodeTraces([span({ name: "GET /", attributes: { a: "1" } })], "protobuf");
  const spans = decodeTraces(body, "protobuf", { ownsBody: true }); // spans keep their bytes
  modifier({ action: "upsert", key: "k", value: "v" }).process(traceChunk(spans));
  modifier({ action: "upsert", context: "span_name", value: "renamed" }).process(
    traceChunk(spans),
  );
  const out = decodeTraces(encodeTraces(spans, "protobuf"), "protobuf");
  assertEquals([out[0]!.name, out[0]!.attributes], ["renamed", { a: "1", k: "v" }]);
});

Deno.test("content_modifier traces span_status: decoded spans sharing the empty status change alone", () => {
  const body = encodeTraces([span({ name: "a" }), span({ name: "b" })], "protobuf");
  const [a, b] = decodeTraces(body, "protobuf", { ownsBody: true });
  modifier({ action: "upsert", context: "span_status", value: "ERROR" }).process(traceChunk([a!]));
  assertEquals([a!.status.code, b!.status.code], [2, 0]);
  const out = decodeTraces(encodeTraces([a!, b!], "protobuf"), "protobuf");
  assertEquals(out.map((s) => s.status.code), [2, 0]);
});
