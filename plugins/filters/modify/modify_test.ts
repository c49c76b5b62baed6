import { parse } from "yaml";
import { SOURCE_ORDER } from "../../../src/config/options.ts";
import { withRecords } from "../../../src/event/chunk.ts";
import { GROUP_START, logRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { assert, assertEquals } from "../../../src/testing/assert.ts";
import {
  bodiesOf,
  filterProcess,
  logChunk,
  optionsFromYaml,
} from "../../../src/testing/filter_context.ts";
import { plugin } from "./mod.ts";

/** What the mem input emits (the modify docs' example input). */
function mem(): RecordMap {
  return {
    "Mem.total": 1016044,
    "Mem.used": 841388,
    "Mem.free": 174656,
    "Swap.total": 2064380,
    "Swap.used": 139888,
    "Swap.free": 1924492,
  };
}

/** Options as a classic config gives them: repeated keys, in source order. */
function classic(pairs: [string, string][]): Record<string, unknown> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of pairs) (out[k.toLowerCase()] ??= []).push(v);
  Object.defineProperty(out, SOURCE_ORDER, {
    value: pairs.map(([k, v]) => [k.toLowerCase(), v]),
  });
  return out;
}

async function modify(options: Record<string, unknown>, bodies: RecordMap[]) {
  const process = await filterProcess(plugin, options);
  return bodiesOf(process(logChunk(bodies)));
}

/** One body's pairs, so key order is compared too. */
async function modifyOne(options: Record<string, unknown>, body: RecordMap) {
  return Object.entries((await modify(options, [body]))[0]!);
}

Deno.test("modify renames and adds as in the docs' usage example", async () => {
  const out = await modifyOne(
    classic([["Rename", "Key2 RenamedKey"], ["Add", "OtherKey Value3"]]),
    { Key1: "Value1", Key2: "Value2" },
  );
  assertEquals(out, [["Key1", "Value1"], ["RenamedKey", "Value2"], ["OtherKey", "Value3"]]);
});

Deno.test("modify runs the docs' example 1 (add and rename) with its key order", async () => {
  const out = await modifyOne(
    classic([
      ["Add", "Service1 SOMEVALUE"],
      ["Add", "Service3 SOMEVALUE3"],
      ["Add", "Mem.total2 TOTALMEM2"],
      ["Rename", "Mem.free MEMFREE"],
      ["Rename", "Mem.used MEMUSED"],
      ["Rename", "Swap.total SWAPTOTAL"],
      ["Add", "Mem.total TOTALMEM"],
    ]),
    mem(),
  );
  assertEquals(out.map(([k]) => k), [
    "Mem.total",
    "MEMUSED",
    "MEMFREE",
    "SWAPTOTAL",
    "Swap.used",
    "Swap.free",
    "Service1",
    "Service3",
    "Mem.total2",
  ]);
  assertEquals(Object.fromEntries(out)["Mem.total"], 1016044);
  assertEquals(Object.fromEntries(out)["Service3"], "SOMEVALUE3");
});

Deno.test("modify runs the docs' example 2 (conditions) from the corpus YAML", async () => {
  const text = await Deno.readTextFile(
    new URL("../../../testdata/filters/fbdocs-modify-conditions__fluent-bit.yaml", import.meta.url),
  );
  const filters = parse(text).pipeline.filters as Record<string, unknown>[];
  let chunk = logChunk([mem(), mem()]);
  for (const section of filters) {
    const process = await filterProcess(plugin, optionsFromYaml(plugin.options, section));
    chunk = process(chunk) as typeof chunk;
  }
  const expected = [["cpustats", "UNKNOWN"], ["sourcetype", "memstats"], [
    "cpustats_more",
    "STILL_UNKNOWN",
  ]];
  assertEquals(bodiesOf(chunk).map((b) => Object.entries(b)), [expected, expected]);
});

Deno.test("modify runs the docs' example 3 (emoji) in source order", async () => {
  const out = await modifyOne(
    classic([
      ["Remove_Wildcard", "Mem"],
      ["Remove_Wildcard", "Swap"],
      ["Set", "This_plugin_is_on 🔥"],
      ["Set", "🔥 is_hot"],
      ["Copy", "🔥 💦"],
      ["Rename", "💦 ❄️"],
      ["Set", "❄️ is_cold"],
      ["Set", "💦 is_wet"],
    ]),
    mem(),
  );
  assertEquals(out, [
    ["This_plugin_is_on", "🔥"],
    ["🔥", "is_hot"],
    ["❄️", "is_cold"],
    ["💦", "is_wet"],
  ]);
});

Deno.test("modify applies rules in source order across keys when the resolver gives it", async () => {
  const pairs: [string, string][] = [["rename", "log message"], ["add", "log default"]];
  assertEquals(await modifyOne(classic(pairs), { log: "x" }), [
    ["message", "x"],
    ["log", "default"],
  ]);
  // Without the source order the rules run grouped by key, in Fluent Bit's config map order.
  assertEquals(await modifyOne({ rename: ["log message"], add: ["log default"] }, { log: "x" }), [
    ["message", "x"],
  ]);
});

Deno.test("modify falls back to key order when the source order disagrees with the values", async () => {
  const options = classic([["rename", "log message"], ["add", "log default"]]);
  options.add = ["log other"];
  assertEquals(await modifyOne(options, { log: "x" }), [["message", "x"]]);
});

Deno.test("modify set replaces a key and moves it to the end, or appends it", async () => {
  assertEquals(await modifyOne({ set: ["a 9", "c 3"] }, { a: 1, b: 2 }), [
    ["b", 2],
    ["a", "9"],
    ["c", "3"],
  ]);
});

Deno.test("modify add only adds missing keys", async () => {
  assertEquals(await modifyOne({ add: ["a 9", "c 3"] }, { a: 1 }), [["a", 1], ["c", "3"]]);
});

Deno.test("modify remove, remove_wildcard and remove_regex drop keys", async () => {
  const body = { log: 1, "Mem.a": 1, "Mem.b": 2, MemX: 3, "Swap.x": 4, keep: 5, k8s_id: 6 };
  assertEquals(await modifyOne({ remove: ["log", "absent"] }, { ...body }), [
    ["Mem.a", 1],
    ["Mem.b", 2],
    ["MemX", 3],
    ["Swap.x", 4],
    ["keep", 5],
    ["k8s_id", 6],
  ]);
  assertEquals(await modifyOne({ remove_wildcard: ["Mem.", "Swap*"] }, { ...body }), [
    ["log", 1],
    ["MemX", 3],
    ["keep", 5],
    ["k8s_id", 6],
  ]);
  assertEquals(await modifyOne({ remove_regex: ["^(log|k8s_.*)$", "\\.b$"] }, { ...body }), [
    ["Mem.a", 1],
    ["MemX", 3],
    ["Swap.x", 4],
    ["keep", 5],
  ]);
});

Deno.test("modify rename keeps the position and skips when the target exists", async () => {
  assertEquals(await modifyOne({ rename: ["b B"] }, { a: 1, b: 2, c: 3 }), [
    ["a", 1],
    ["B", 2],
    ["c", 3],
  ]);
  assertEquals(await modifyOne({ rename: ["b c"] }, { a: 1, b: 2, c: 3 }), [
    ["a", 1],
    ["b", 2],
    ["c", 3],
  ]);
  assertEquals(await modifyOne({ rename: ["x y", "a a"] }, { a: 1 }), [["a", 1]]);
});

Deno.test("modify hard_rename overwrites the target at the source's position", async () => {
  assertEquals(await modifyOne({ hard_rename: ["c a"] }, { a: 1, b: 2, c: 3 }), [
    ["b", 2],
    ["a", 3],
  ]);
  assertEquals(await modifyOne({ hard_rename: ["b z", "x y", "a a"] }, { a: 1, b: 2 }), [
    ["a", 1],
    ["z", 2],
  ]);
});

Deno.test("modify copy inserts after the source and skips when the target exists", async () => {
  assertEquals(await modifyOne({ copy: ["a a2", "x y"] }, { a: 1, b: 2 }), [
    ["a", 1],
    ["a2", 1],
    ["b", 2],
  ]);
  assertEquals(await modifyOne({ copy: ["a b"] }, { a: 1, b: 2 }), [["a", 1], ["b", 2]]);
});

Deno.test("modify copies maps by value, not by reference", async () => {
  const [body] = await modify({ copy: ["m m2"] }, [{ m: { x: 1 } }]);
  assert(body !== undefined);
  (body.m2 as RecordMap).x = 2;
  assertEquals(body.m, { x: 1 });
});

Deno.test("modify hard_copy replaces an existing target", async () => {
  assertEquals(await modifyOne({ hard_copy: ["c a"] }, { a: 1, b: 2, c: 3 }), [
    ["b", 2],
    ["c", 3],
    ["a", 3],
  ]);
  assertEquals(await modifyOne({ hard_copy: ["a z"] }, { a: 1 }), [["a", 1], ["z", 1]]);
});

Deno.test("modify move_to_start and move_to_end reorder keys by prefix", async () => {
  const body = { a: 1, "k.x": 2, b: 3, "k.y": 4 };
  assertEquals((await modifyOne({ move_to_start: ["k."] }, { ...body })).map(([k]) => k), [
    "k.x",
    "k.y",
    "a",
    "b",
  ]);
  assertEquals((await modifyOne({ move_to_end: ["k*"] }, { ...body })).map(([k]) => k), [
    "a",
    "b",
    "k.x",
    "k.y",
  ]);
  assertEquals((await modifyOne({ move_to_end: ["zzz"] }, { ...body })).map(([k]) => k), [
    "a",
    "k.x",
    "b",
    "k.y",
  ]);
});

Deno.test("modify reads quoted keys and values, and values with spaces", async () => {
  const out = await modifyOne(
    classic([["set", `"my key" "hello world"`], ["set", "msg hello  world"], [
      "add",
      `q 'it\\'s'`,
    ]]),
    {},
  );
  assertEquals(out, [["my key", "hello world"], ["msg", "hello  world"], ["q", "it's"]]);
});

Deno.test("modify leaves metadata, group markers and other signals alone", async () => {
  const process = await filterProcess(plugin, { set: ["a 1"] });
  const marker = logRecord({ resource: {} }, GROUP_START);
  const rec = logRecord({ b: 2 });
  rec.metadata = { m: 1 };
  const out = process(withRecords(logChunk([]), [marker, rec]));
  assertEquals(bodiesOf(out), [{ resource: {} }, { b: 2, a: "1" }]);
  assertEquals(rec.metadata, { m: 1 });
  const spans = { ...logChunk([]), signal: "traces" as const, records: [] };
  assert(process(spans) === spans);
});

Deno.test("modify keeps the chunk and its ack", async () => {
  const process = await filterProcess(plugin, { add: ["a 1"] });
  const chunk = logChunk([{}]);
  const out = process(chunk)!;
  assert(out.ack === chunk.ack && out.tag === chunk.tag);
});

Deno.test("modify declares every Fluent Bit key", () => {
  assertEquals(Object.keys(plugin.options).sort(), [
    "add",
    "condition",
    "copy",
    "hard_copy",
    "hard_rename",
    "move_to_end",
    "move_to_start",
    "remove",
    "remove_regex",
    "remove_wildcard",
    "rename",
    "set",
  ]);
  assert(Object.values(plugin.options).every((s) => s.multiple));
});
