import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { compileAccessor, isRecordMap, valueText } from "./record_accessor.ts";

const record = {
  log: "some message",
  stream: "stdout",
  labels: {
    color: "blue",
    unset: null,
    project: { env: "production" },
    "app.kubernetes.io/name": "web",
    "it's": "quoted",
  },
  items: ["a", { deep: [10, 20] }],
  "Mem.used": 841388,
};

Deno.test("compileAccessor() reads the record accessor doc examples", () => {
  assertEquals(compileAccessor("$log").get(record), "some message");
  assertEquals(compileAccessor("$labels['color']").get(record), "blue");
  assertEquals(compileAccessor("$labels['project']['env']").get(record), "production");
  assertEquals(compileAccessor("$labels['unset']").get(record), null);
  assertEquals(compileAccessor("$labels['undefined']").get(record), undefined);
});

Deno.test("compileAccessor() accepts double quotes, indexes, and dots or dashes in quotes", () => {
  assertEquals(compileAccessor('$labels["color"]').get(record), "blue");
  assertEquals(compileAccessor("$labels['app.kubernetes.io/name']").get(record), "web");
  assertEquals(compileAccessor("$items[0]").get(record), "a");
  assertEquals(compileAccessor("$items[1]['deep'][1]").get(record), 20);
  assertEquals(compileAccessor("$items[ 1 ][ 'deep' ][0]").get(record), 10);
  assertEquals(compileAccessor("$labels['it''s']").get(record), "quoted");
  assertEquals(compileAccessor("$Mem.used").get(record), 841388);
});

Deno.test("compileAccessor() treats a pattern without $ as one top-level key", () => {
  const ra = compileAccessor("Mem.used");
  assertEquals(ra.path, ["Mem.used"]);
  assertEquals(ra.get(record), 841388);
  assertEquals(compileAccessor("labels['color']").get(record), undefined);
  assertEquals(compileAccessor("🔥").get({ "🔥": "is_hot" }), "is_hot");
});

Deno.test("get() returns undefined when a step meets the wrong kind of value", () => {
  assertEquals(compileAccessor("$log['x']").get(record), undefined);
  assertEquals(compileAccessor("$labels[0]").get(record), undefined);
  assertEquals(compileAccessor("$items['0']").get(record), undefined);
  assertEquals(compileAccessor("$items[5]").get(record), undefined);
  assertEquals(compileAccessor("$labels['unset']['x']").get(record), undefined);
});

Deno.test("get() and has() ignore inherited properties", () => {
  assertEquals(compileAccessor("$toString").get({}), undefined);
  assertEquals(compileAccessor("$constructor").has({}), false);
  assertEquals(compileAccessor("$a['__proto__']").get({ a: {} }), undefined);
  assertEquals(compileAccessor("$a['hasOwnProperty']").has({ a: {} }), false);
});

Deno.test("has() is true for a present null and false for an absent key", () => {
  assert(compileAccessor("$labels['unset']").has(record));
  assert(compileAccessor("$items[1]['deep'][0]").has(record));
  assert(!compileAccessor("$labels['nope']").has(record));
  assert(!compileAccessor("$items[2]").has(record));
  assert(!compileAccessor("$nope['x']").has(record));
});

Deno.test("set() writes nested values, creating intermediate maps", () => {
  const m: Record<string, unknown> = { a: 1 };
  assert(compileAccessor("$k['x']['y']").set(m, "v"));
  assert(compileAccessor("$a").set(m, 2));
  assert(compileAccessor("plain key").set(m, true));
  assertEquals(m, { a: 2, k: { x: { y: "v" } }, "plain key": true });
});

Deno.test("set() writes array slots in range or one past the end", () => {
  const m: Record<string, unknown> = { list: [1, { x: 1 }] };
  assert(compileAccessor("$list[0]").set(m, 9));
  assert(compileAccessor("$list[1]['y']").set(m, 2));
  assert(compileAccessor("$list[2]").set(m, 3));
  assert(!compileAccessor("$list[9]").set(m, 3));
  assertEquals(m, { list: [9, { x: 1, y: 2 }, 3] });
});

Deno.test("set() refuses to overwrite a non-container on the way", () => {
  const m: Record<string, unknown> = { s: "text", n: null, list: [] };
  assert(!compileAccessor("$s['x']").set(m, 1));
  assert(!compileAccessor("$n['x']").set(m, 1));
  assert(!compileAccessor("$missing[0]").set(m, 1));
  assert(!compileAccessor("$list['x']").set(m, 1));
  assertEquals(m, { s: "text", n: null, list: [] });
});

Deno.test("set() keeps a key named __proto__ as data", () => {
  const m: Record<string, unknown> = {};
  assert(compileAccessor("$__proto__").set(m, { polluted: true }));
  assert(compileAccessor("$x['__proto__']['y']").set(m, 1));
  assertEquals(Object.keys(m), ["__proto__", "x"]);
  assertEquals(({} as Record<string, unknown>).polluted, undefined);
  assertEquals(Object.getPrototypeOf(m), Object.prototype);
});

Deno.test("delete() removes map keys and array items, false when absent", () => {
  const m: Record<string, unknown> = { a: { b: 1, c: 2 }, list: ["x", "y", "z"] };
  assert(compileAccessor("$a['b']").delete(m));
  assert(!compileAccessor("$a['b']").delete(m));
  assert(compileAccessor("$list[1]").delete(m));
  assert(!compileAccessor("$list[7]").delete(m));
  assert(!compileAccessor("$nope['x']").delete(m));
  assertEquals(m, { a: { c: 2 }, list: ["x", "z"] });
});

Deno.test("compileAccessor() rejects malformed patterns, naming the pattern", () => {
  const bad = [
    "",
    "$",
    "$['a']",
    "$a[",
    "$a[]",
    "$a['b'",
    "$a['b']x",
    "$a[b]",
    "$a[-1]",
    "$a[01]",
    "$a]",
    "$a b",
    "$a['b']]",
    "$a[\"b']",
  ];
  for (const p of bad) {
    assertThrows(() => compileAccessor(p), SyntaxError, `record accessor ${JSON.stringify(p)}`);
  }
});

Deno.test("compileAccessor() keeps the pattern and path", () => {
  const ra = compileAccessor("$a['b'][2]");
  assertEquals(ra.pattern, "$a['b'][2]");
  assertEquals(ra.path, ["a", "b", 2]);
});

Deno.test("valueText() gives strings, numbers and booleans as text, maps as JSON", () => {
  assertEquals(valueText("x"), "x");
  assertEquals(valueText(200), "200");
  assertEquals(valueText(1.5), "1.5");
  assertEquals(valueText(false), "false");
  assertEquals(valueText(10n), "10");
  assertEquals(valueText({ a: [1, 2n] }), '{"a":[1,"2"]}');
  assertEquals(valueText(null), undefined);
  assertEquals(valueText(undefined), undefined);
  assertEquals(valueText(new Uint8Array([1])), undefined);
});

Deno.test("isRecordMap() accepts plain maps only", () => {
  assert(isRecordMap({}));
  assert(!isRecordMap([]));
  assert(!isRecordMap(null));
  assert(!isRecordMap("x"));
  assert(!isRecordMap(new Uint8Array(1)));
});
