import type { RecordMap } from "../../../src/event/log_record.ts";
import { defaultsOf } from "../../../src/config/options.ts";
import { assertEquals, assertMatch, assertRejects } from "../../../src/testing/assert.ts";
import {
  bodiesOf,
  filterProcess,
  logChunk,
  testFilterContext,
} from "../../../src/testing/filter_context.ts";
import { typeConverterOptions } from "./options.ts";
import { OptionError } from "../../../src/plugin.ts";
import { plugin } from "./mod.ts";
import { floatText } from "./typecast.ts";

async function run(options: Record<string, unknown>, bodies: RecordMap[]) {
  const process = await filterProcess(plugin, options);
  return bodiesOf(process(logChunk(bodies)));
}

Deno.test("type_converter appends converted copies (reference vectors 1-4)", async () => {
  assertEquals(await run({ int_key: ["id id_str string"] }, [{ id: 123 }]), [
    { id: 123, id_str: "123" },
  ]);
  assertEquals(await run({ str_key: ["n n_int int"] }, [{ n: "42" }, { n: "0" }, { n: "12abc" }]), [
    { n: "42", n_int: 42 },
    { n: "0", n_int: "0" }, // Fluent Bit reads 0 as a failure and appends the original
    { n: "12abc", n_int: 12 },
  ]);
  assertEquals(await run({ float_key: ["r r_s string"] }, [{ r: 2.0 }, { r: 0.1 }]), [
    { r: 2, r_s: "2.0" },
    { r: 0.1, r_s: "0.1" },
  ]);
  assertEquals(await run({ str_key: ["f f_b bool"] }, [{ f: "TRUE" }, { f: "yes" }]), [
    { f: "TRUE", f_b: true },
    { f: "yes", f_b: "yes" },
  ]);
});

Deno.test("type_converter runs str_key rules first, reads nested keys, skips missing ones", async () => {
  const out = await run(
    { int_key: ["a a2 float"], str_key: ["$m['h'] h hex", "gone g int"], uint_key: ["u u2 int"] },
    [{ a: 3, m: { h: "ff" }, u: 7 }],
  );
  assertEquals(Object.entries(out[0]!), [
    ["a", 3],
    ["m", { h: "ff" }],
    ["u", 7],
    ["h", 255],
    ["a2", 3],
    ["u2", 7],
  ]);
});

Deno.test("type_converter: a wrong source type keeps the original value, logged", async () => {
  assertEquals(await run({ int_key: ["s s2 string"] }, [{ s: "text" }]), [{
    s: "text",
    s2: "text",
  }]);
  assertEquals(await run({ int_key: ["i i2 int"] }, [{ i: 1 }]), [{ i: 1, i2: 1 }]);
});

Deno.test("type_converter with no valid rule fails like Fluent Bit's 'no rules'", async () => {
  await assertRejects(() => filterProcess(plugin, { int_key: ["only two"] }), OptionError);
  await assertRejects(() => filterProcess(plugin, { str_key: ["a b integer"] }), OptionError);
});

Deno.test("floatText writes floats as printf %.1f / %.16g", () => {
  assertEquals([floatText(2), floatText(0.1), floatText(1e21), floatText(1.5e-7)], [
    "2.0",
    "0.1",
    "1e+21",
    "1.5e-07",
  ]);
});

Deno.test("type_converter counts failed conversions and logs one with a sample", async () => {
  const ctx = testFilterContext({ name: "type_converter.0" });
  const values = { ...defaultsOf(typeConverterOptions), str_key: ["n n_int int"] };
  const inst = await plugin.create(values, ctx);
  inst.process!(logChunk([{ n: "abc" }, { n: "zz" }, { n: "5" }]));
  const labels = { name: "type_converter.0" };
  assertEquals(ctx.metrics.value("sluice_filter_type_converter_errors_total", labels), 2);
  const lines = ctx.logLines.filter((l) => l.includes("failed to convert"));
  assertEquals(lines.length, 1);
  assertMatch(lines[0]!, /key=n: string to int of "abc"/);
});
