import { parse } from "yaml";
import { withRecords } from "../../../src/event/chunk.ts";
import {
  GROUP_END,
  GROUP_START,
  logRecord,
  type RecordMap,
} from "../../../src/event/log_record.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../../../src/testing/assert.ts";
import {
  bodiesOf,
  filterProcess,
  logChunk,
  optionsFromYaml,
} from "../../../src/testing/filter_context.ts";
import { plugin } from "./mod.ts";
import { keyMatcher } from "./record_modifier.ts";

/** The record_modifier docs' sample mem record. */
function mem(): RecordMap {
  return {
    "Mem.total": 1016024,
    "Mem.used": 716672,
    "Mem.free": 299352,
    "Swap.total": 2064380,
    "Swap.used": 32656,
    "Swap.free": 2031724,
  };
}

async function modify(options: Record<string, unknown>, bodies: RecordMap[]) {
  const process = await filterProcess(plugin, options);
  return bodiesOf(process(logChunk(bodies)));
}

Deno.test("record_modifier appends fields after the existing ones (docs: append fields)", async () => {
  const [out] = await modify(
    { record: ["hostname localhost.localdomain", "product Awesome_Tool"] },
    [mem()],
  );
  assertEquals(Object.entries(out!), [
    ...Object.entries(mem()),
    ["hostname", "localhost.localdomain"],
    ["product", "Awesome_Tool"],
  ]);
});

Deno.test("record_modifier remove_key removes the named fields (docs example)", async () => {
  const out = await modify({ remove_key: ["Swap.total", "Swap.used", "Swap.free"] }, [mem()]);
  assertEquals(out, [{ "Mem.total": 1016024, "Mem.used": 716672, "Mem.free": 299352 }]);
});

Deno.test("record_modifier allowlist_key keeps only the named fields (docs example)", async () => {
  const out = await modify({ allowlist_key: ["Mem.total", "Mem.used", "Mem.free"] }, [mem()]);
  assertEquals(Object.keys(out[0]!), ["Mem.total", "Mem.used", "Mem.free"]);
});

Deno.test("record_modifier whitelist_key is an alias of allowlist_key", async () => {
  const out = await modify({ whitelist_key: ["Mem.used"], allowlist_key: ["Mem.free"] }, [mem()]);
  assertEquals(out, [{ "Mem.used": 716672, "Mem.free": 299352 }]);
});

Deno.test("record_modifier key lists compare case-insensitively and take a trailing *", async () => {
  assertEquals(await modify({ remove_key: ["swap*", "MEM.USED"] }, [mem()]), [{
    "Mem.total": 1016024,
    "Mem.free": 299352,
  }]);
  assertEquals(await modify({ allowlist_key: ["mem.*"] }, [mem()]), [{
    "Mem.total": 1016024,
    "Mem.used": 716672,
    "Mem.free": 299352,
  }]);
  const m = keyMatcher(["a", "b*"]);
  assertEquals(["A", "a", "ab", "B", "bcd", "cb"].map(m), [true, true, false, true, true, false]);
  assertEquals(["A", "cb"].map(m), [true, false], "cached answers stay right");
});

Deno.test("record_modifier replaces an existing key with the appended one at the end", async () => {
  const [out] = await modify({ record: ["a new"] }, [{ a: "old", b: 1 }]);
  assertEquals(Object.entries(out!), [["b", 1], ["a", "new"]]);
});

Deno.test("record_modifier reads quoted keys and values, and values with spaces", async () => {
  const [out] = await modify({ record: [`"my key" "a b"`, "msg hello  world", `q 'it\\'s'`] }, [
    {},
  ]);
  assertEquals(out, { "my key": "a b", msg: "hello  world", q: "it's" });
});

Deno.test("record_modifier uuid_key adds a fresh UUID v4 to every record, last", async () => {
  const out = await modify({ uuid_key: "uuid", record: ["x 1"] }, [{ a: 1 }, { a: 2 }]);
  assertEquals(out.map((b) => Object.keys(b)), [["a", "x", "uuid"], ["a", "x", "uuid"]]);
  for (const b of out) {
    assertMatch(
      b.uuid as string,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  }
  assert(out[0]!.uuid !== out[1]!.uuid);
});

Deno.test("record_modifier removes keys first, then appends records", async () => {
  const out = await modify({ remove_key: ["tag"], record: ["tag fixed"] }, [{ tag: "x", v: 1 }]);
  assertEquals(Object.entries(out[0]!), [["v", 1], ["tag", "fixed"]]);
});

Deno.test("record_modifier drops records left with no field, as Fluent Bit does", async () => {
  const process = await filterProcess(plugin, { allowlist_key: ["keep"] });
  const chunk = logChunk([{ keep: 1, x: 2 }, { x: 3 }, {}]);
  assertEquals(bodiesOf(process(chunk)), [{ keep: 1 }, {}]);
  assertEquals(process(logChunk([{ x: 1 }, { y: 2 }])), null);
  // With something to append the record stays.
  assertEquals(await modify({ allowlist_key: ["keep"], record: ["a b"] }, [{ x: 3 }]), [{
    a: "b",
  }]);
});

Deno.test("record_modifier returns the same chunk, ack and tag when nothing is dropped", async () => {
  const process = await filterProcess(plugin, { record: ["a b"] });
  const chunk = logChunk([{}], "app");
  assert(process(chunk) === chunk);
});

Deno.test("record_modifier leaves group markers and other signals alone", async () => {
  const process = await filterProcess(plugin, { allowlist_key: ["log"], record: ["k v"] });
  const records = [
    logRecord({ resource: {} }, GROUP_START),
    logRecord({ log: "x", y: 1 }),
    logRecord({}, GROUP_END),
  ];
  assertEquals(bodiesOf(process(withRecords(logChunk([]), records))), [
    { resource: {} },
    { log: "x", k: "v" },
    {},
  ]);
  const spans = { ...logChunk([]), signal: "traces" as const, records: [] };
  assert(process(spans) === spans);
});

Deno.test("record_modifier runs the record lists of the config-format processors test", async () => {
  const text = await Deno.readTextFile(
    new URL("../../../testdata/filters/fb-cfgfmt__processors.yaml", import.meta.url),
  );
  const section = parse(text).pipeline.inputs[0].processors.logs[0];
  const [out] = await modify(optionsFromYaml(plugin.options, section), [{ message: "dummy" }]);
  assertEquals(out, { message: "dummy", filtered_by: "record_modifier", powered_by: "calyptia" });
});

Deno.test("record_modifier rejects bad records and exclusive key lists", async () => {
  await assertRejects(
    () => filterProcess(plugin, { record: ["onlykey"] }),
    SyntaxError,
    `"record" value "onlykey": expected KEY VALUE`,
  );
  await assertRejects(
    () => filterProcess(plugin, { record: [`k "open`] }),
    SyntaxError,
    "unterminated quote",
  );
  await assertRejects(
    () => filterProcess(plugin, { remove_key: ["a"], whitelist_key: ["b"] }),
    RangeError,
    '"remove_key"',
  );
});

Deno.test("record_modifier declares every Fluent Bit key", () => {
  assertEquals(Object.keys(plugin.options).sort(), [
    "allowlist_key",
    "record",
    "remove_key",
    "uuid_key",
    "whitelist_key",
  ]);
  assertEquals(plugin.options.uuid_key.default, undefined);
});
