import type { RecordMap } from "../../../src/event/log_record.ts";
import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { bodiesOf, filterProcess, logChunk } from "../../../src/testing/filter_context.ts";
import { OptionError } from "../../../src/plugin.ts";
import { plugin } from "./mod.ts";

async function run(options: Record<string, unknown>, bodies: RecordMap[]) {
  const process = await filterProcess(plugin, options);
  return bodiesOf(process(logChunk(bodies)));
}

Deno.test("nest moves the wildcard keys under nest_under, unmatched keys first (vector 1)", async () => {
  const out = await run(
    { operation: "nest", wildcard: ["b_*"], nest_under: "b", remove_prefix: "b_" },
    [{ a: 1, b_x: 2, c: 3, b_y: 4 }],
  );
  assertEquals(out, [{ a: 1, c: 3, b: { x: 2, y: 4 } }]);
  assertEquals(Object.keys(out[0]!), ["a", "c", "b"]);
});

Deno.test("nest takes several wildcards, exact or prefix; no match leaves the record", async () => {
  const out = await run(
    { operation: "nesting", wildcard: ["id", "k8s_*"], nest_under: "meta", add_prefix: "p_" },
    [{ id: 1, idx: 2, k8s_ns: "x", msg: "m" }, { msg: "only" }],
  );
  assertEquals(out, [{ idx: 2, msg: "m", meta: { p_id: 1, p_k8s_ns: "x" } }, { msg: "only" }]);
});

Deno.test("lift hoists one level, prefix applied; a non-map value is left alone (vectors 2, 3)", async () => {
  const out = await run(
    { operation: "lift", nested_under: "k", add_prefix: "k_" },
    [{ k: { x: 1, y: { z: 2 } }, a: 0 }, { k: "str" }, { other: 1 }],
  );
  assertEquals(out, [{ a: 0, k_x: 1, k_y: { z: 2 } }, { k: "str" }, { other: 1 }]);
});

Deno.test("nest refuses what Fluent Bit refuses: bad operation, both prefixes", async () => {
  for (
    const options of [
      { operation: "flatten", nest_under: "x" },
      { operation: "nest", nest_under: "x", add_prefix: "a", remove_prefix: "b" },
      { operation: "lift" },
    ]
  ) {
    await assertRejects(() => filterProcess(plugin, options), OptionError);
  }
});
