import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { assert, assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import { bodiesOf, logChunk } from "../../../src/testing/filter_context.ts";
import { luaFilter, recordsOf } from "./_testing.ts";

const fn = (body: string, params = "tag, ts, r") => `function cb(${params})\n${body}\nend`;

async function run(code: string, bodies: Record<string, unknown>[], options = {}) {
  const f = await luaFilter({ code, ...options });
  return bodiesOf(f.process(logChunk(bodies, "a")));
}

Deno.test("lua test vector 1: code 2 adds the tag and keeps the time", async () => {
  const f = await luaFilter({ code: fn("r.tag = tag; return 2, ts, r") });
  const chunk = logChunk([{ x: 1 }], "a");
  const before = chunk.records[0]!.time;
  const [out] = recordsOf(f.process(chunk));
  assertEquals(out?.body, { x: 1, tag: "a" });
  assertEquals(out?.time, before);
});

Deno.test("lua test vector 2: code 1 turns the time through a double, truncating", async () => {
  const f = await luaFilter({ code: fn("return 1, ts, r") });
  const chunk = logChunk([{ x: 1 }]);
  chunk.records[0]!.time = new EventTime(1700000000, 123456789);
  const [out] = recordsOf(f.process(chunk));
  assertEquals([out?.time.sec, out?.time.nsec], [1700000000, 123456716]);
});

Deno.test("lua test vector 3: new tables become maps, arrays and integers", async () => {
  const out = await run(fn("return 1, ts, {a = 2.0, b = {}, c = {1, 2}, d = 2.5}"), [{}]);
  assertEquals(out, [{ a: 2, b: {}, c: [1, 2], d: 2.5 }]);
});

Deno.test("lua test vector 4: an array of records splits into several, same time", async () => {
  const f = await luaFilter({ code: fn("return 2, ts, {{m = 1}, {m = 2}}") });
  const chunk = logChunk([{ x: 1 }]);
  const out = recordsOf(f.process(chunk));
  assertEquals(out.map((r) => r.body), [{ m: 1 }, { m: 2 }]);
  assertEquals(out[1]?.time, chunk.records[0]?.time);
});

Deno.test("lua test vector 5: null keys vanish unless enable_flb_null", async () => {
  assertEquals(await run(fn("return 2, ts, r"), [{ k: null, v: 1 }]), [{ v: 1 }]);
  const kept = await run(fn("return 2, ts, r"), [{ k: null, v: 1 }], { enable_flb_null: true });
  assertEquals(kept, [{ k: null, v: 1 }]);
  const set = await run(fn("r.z = flb_null; return 2, ts, r"), [{}], { enable_flb_null: true });
  assertEquals(set, [{ z: null }]);
});

Deno.test("lua code -1 drops, 0 keeps the original whatever is returned", async () => {
  const code = fn("if r.n == 1 then return -1, ts, r end\nr.changed = true\nreturn 0, ts, r");
  assertEquals(await run(code, [{ n: 1 }, { n: 2 }]), [{ n: 2 }]);
  const f = await luaFilter({ code: fn("return -1, ts, r") });
  assertEquals(f.process(logChunk([{ a: 1 }])), null);
});

Deno.test("lua keeps the same chunk when every record is kept", async () => {
  const f = await luaFilter({ code: fn("return 0, ts, r") });
  const chunk = logChunk([{ a: 1 }]);
  assert(f.process(chunk) === chunk);
});

Deno.test("lua time_as_table passes and reads {sec, nsec}", async () => {
  const code = fn("r.s = ts.sec; r.ns = ts.nsec; return 1, {sec = ts.sec + 10, nsec = 5}, r");
  const f = await luaFilter({ code, time_as_table: true });
  const chunk = logChunk([{}]);
  chunk.records[0]!.time = new EventTime(100, 42);
  const [out] = recordsOf(f.process(chunk));
  assertEquals(out?.body, { s: 100, ns: 42 });
  assertEquals([out?.time.sec, out?.time.nsec], [110, 5]);
});

Deno.test("lua time_as_table: a returned non-table time keeps the record's time", async () => {
  const f = await luaFilter({ code: fn("r.x = 1; return 1, 5, r"), time_as_table: true });
  const chunk = logChunk([{}]);
  const [out] = recordsOf(f.process(chunk));
  assertEquals(out?.body, { x: 1 });
  assertEquals(out?.time, chunk.records[0]?.time);
});

Deno.test("lua arrays and maps from records keep their kind, even when empty", async () => {
  const body = { list: [1, "two", { three: 3 }], empty_list: [], empty_map: {}, nested: { a: [] } };
  assertEquals(await run(fn("return 2, ts, r"), [body]), [body]);
});

Deno.test("lua type_int_key truncates numbers; a key that is a prefix matches too", async () => {
  const code = fn("r.size = 10 / 4; r.si = 7.9; r.other = 2.5; return 2, ts, r");
  assertEquals(await run(code, [{}], { type_int_key: "size" }), [{ size: 2, si: 7, other: 2.5 }]);
});

Deno.test("lua type_array_key writes a table as an array, an empty one as []", async () => {
  const code = fn("r.tags = {}; r.more = {}; return 2, ts, r");
  assertEquals(await run(code, [{}], { type_array_key: "tags" }), [{ tags: [], more: {} }]);
});

Deno.test("lua numbers are LuaJIT's doubles: no integer wrap, 5.1 formatting", async () => {
  const code = fn([
    "r.big = 2147483647 + 1",
    "r.mul = 100000 * 100000",
    "r.div = 10 / 2",
    "r.text = tostring(10 / 2) .. ' ' .. 3 .. ' ' .. 2 ^ 53 .. ' ' .. 1 / 3",
    "r.fmt = string.format('%d %5.2f', 3.7, 2)",
    "r.ms = os.time() * 1000 > 1e12",
    "r.utc = os.date('!%Y-%m-%dT%H:%M:%S', 1700000000.75)",
    "r.compat = unpack({table.getn({1, 2}), math.pow(2, 3), table.maxn({1, 2, 3})})",
    "return 2, ts, r",
  ].join("\n"));
  assertEquals(await run(code, [{ n: 3 }]), [{
    n: 3,
    big: 2147483648,
    mul: 10000000000,
    div: 5,
    text: "5 3 9.007199254741e+15 0.33333333333333",
    fmt: "3  2.00",
    ms: true,
    utc: "2023-11-14T22:13:20",
    compat: 2,
  }]);
});

Deno.test("lua 5-parameter callbacks get group and metadata and return metadata", async () => {
  const code = fn(
    "r.g = group.svc; r.m = meta.id; meta.seen = true; return 2, ts, meta, r",
    "tag, ts, group, meta, r",
  );
  const f = await luaFilter({ code });
  const at = new EventTime(1, 0);
  const records: LogRecord[] = [
    { time: GROUP_START, metadata: {}, body: { svc: "api" } },
    { time: at, metadata: { id: 7 }, body: { x: 1 } },
    { time: GROUP_END, metadata: {}, body: {} },
  ];
  const chunk: LogChunk = { ...logChunk([]), records };
  const out = recordsOf(f.process(chunk));
  assertEquals(out.length, 3);
  assertEquals(out[1]?.body, { x: 1, g: "api", m: 7 });
  assertEquals(out[1]?.metadata, { id: 7, seen: true });
});

Deno.test("lua removes a group whose records were all dropped", async () => {
  const f = await luaFilter({ code: fn("return -1, ts, r") });
  const records: LogRecord[] = [
    { time: GROUP_START, metadata: {}, body: {} },
    { time: new EventTime(1, 0), metadata: {}, body: { x: 1 } },
    { time: GROUP_END, metadata: {}, body: {} },
  ];
  const chunk: LogChunk = { ...logChunk([]), records };
  assertEquals(f.process(chunk)?.records.length ?? 0, 0);
});

Deno.test("lua: a script error keeps the record, is counted and logged with its line", async () => {
  const code = "function cb(tag, ts, r)\n  r.ok = true\n  return 2, ts, r.missing.field\nend";
  const f = await luaFilter({ code });
  const out = bodiesOf(f.process(logChunk([{ a: 1 }, { a: 2 }])));
  assertEquals(out, [{ a: 1 }, { a: 2 }]);
  assertEquals(f.failures("error"), 2);
  const line = f.ctx.logLines.find((l) => l.includes("error in cb()"));
  assert(line, f.ctx.logLines.join("\n"));
  assertStringIncludes(line, 'fluentbit.lua"]:3:');
  assertStringIncludes(line, '{"a":1}');
});

Deno.test("lua: a call that loops forever is aborted at call_timeout, the record kept", async () => {
  const code = fn("if r.loop then while true do end end\nr.seen = true\nreturn 2, ts, r");
  const f = await luaFilter({ code, call_timeout: 0.05 });
  const out = bodiesOf(f.process(logChunk([{ loop: true }, { loop: false }])));
  assertEquals(out, [{ loop: true }, { loop: false, seen: true }]);
  assertEquals(f.failures("timeout"), 1);
  assert(f.ctx.logLines.some((l) => l.includes("ran past call_timeout")), f.ctx.logLines.join());
});

Deno.test("lua: a script's own pcall cannot swallow the time budget", async () => {
  const code = fn("while true do pcall(function() while true do end end) end");
  const f = await luaFilter({ code, call_timeout: 0.05 });
  assertEquals(bodiesOf(f.process(logChunk([{ a: 1 }]))), [{ a: 1 }]);
  assertEquals(f.failures("timeout"), 1);
});

Deno.test("lua: errors that are not strings, deep recursion and huge strings are errors", async () => {
  const cases = [
    fn("error({})"),
    "local function f(n) return 1 + f(n + 1) end\n" + fn("return 2, ts, {x = f(1)}"),
    fn("return 2, ts, {x = string.rep('x', 2 ^ 40)}"),
  ];
  for (const code of cases) {
    const f = await luaFilter({ code });
    assertEquals(bodiesOf(f.process(logChunk([{ a: 1 }]))), [{ a: 1 }], code);
    // Deep recursion may reach call_timeout before the stack limit on a busy machine.
    assertEquals(f.failures("error") + f.failures("timeout"), 1, code);
  }
});

Deno.test("lua: wrong return types keep the record and are counted", async () => {
  const cases = [
    fn("return 'two', ts, r"),
    fn("return 2, ts, 'not a table'"),
    fn("return 2, ts, {{a = 1}, 'x'}"),
    fn("return 1, 'soon', r"),
    fn("return 1, 1e300, r"),
    fn("return 1, -5, r"),
    fn("return 1, 0 / 0, r"),
    fn("return 7, ts, r"),
    fn("r.x = 1"),
  ];
  for (const code of cases) {
    const f = await luaFilter({ code });
    assertEquals(bodiesOf(f.process(logChunk([{ a: 1 }]))), [{ a: 1 }], code);
    assertEquals(f.failures("bad_return"), 1, code);
  }
});

Deno.test("lua: io.open and io.lines read a lookup file; writing is refused", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/hosts.csv`, "a,alpha\nb,beta\n");
  const code = `
local names = {}
for line in io.lines("${dir}/hosts.csv") do
  local k, v = string.match(line, "([^,]+),(.*)")
  names[k] = v
end
local f = io.open("${dir}/hosts.csv", "r")
local all = f:read("*a")
f:close()
local missing, err = io.open("${dir}/none.csv")
local w, werr = io.open("${dir}/out.csv", "w")
function cb(tag, ts, r)
  r.name = names[r.id]
  r.size = #all
  r.missing = missing == nil and err ~= nil
  r.refused = w == nil and werr ~= nil
  return 2, ts, r
end`;
  assertEquals(await run(code, [{ id: "b" }]), [{
    id: "b",
    name: "beta",
    size: 15,
    missing: true,
    refused: true,
  }]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lua: functions in a returned table are left out", async () => {
  assertEquals(await run(fn("r.f = print; return 2, ts, r"), [{ a: 1 }]), [{ a: 1 }]);
});

Deno.test("lua: os.exit cannot stop the process", async () => {
  const f = await luaFilter({ code: fn("os.exit(1)") });
  assertEquals(bodiesOf(f.process(logChunk([{ a: 1 }]))), [{ a: 1 }]);
  assertEquals(f.failures("error"), 1);
});
