import type { MetricChunk } from "../../../src/event/chunk.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { optionsFromYaml } from "../../../src/testing/filter_context.ts";
import { gaugeMetric, metricChunk, seriesOf } from "../../../src/testing/metric_chunks.ts";
import { sha256Hex as shaHex } from "./actions.ts";
import { createLabels } from "./labels.ts";
import { labelsOptions } from "./options.ts";

function labels(section: Record<string, unknown>) {
  const warnings: string[] = [];
  const inst = createLabels(
    optionsFromYaml(labelsOptions, section) as never,
    (m) => warnings.push(m),
  );
  return { run: (c: MetricChunk) => inst.process!(c) as MetricChunk, warnings };
}

const BOB = "81b637d8fcd2c6da6359e6963113a1170de795e4b725b84d1e0b4cfd9ec58ce9";

Deno.test("labels upsert adds the label to every series and hash replaces the value by SHA-256 (vector 3)", () => {
  const p = labels({ upsert: "env prod", hash: "user" });
  const out = p.run(metricChunk([gaugeMetric("x", [{ user: "bob" }, { user: "" }])]));
  assertEquals(seriesOf(out), { x: [{ user: BOB, env: "prod" }, { user: "", env: "prod" }] });
});

Deno.test("labels order is delete, update, upsert, insert, hash whatever the config order; names match case-insensitively", () => {
  const p = labels({
    hash: "k",
    insert: ["k v1", "new added"],
    upsert: "Env staging",
    update: ["env prod", "absent x"],
    delete: "TMP",
  });
  const out = p.run(metricChunk([gaugeMetric("m", [{ env: "dev", tmp: "1" }, {}])]));
  assertEquals(seriesOf(out), {
    m: [
      { env: "staging", k: shaHex("v1"), new: "added" },
      { Env: "staging", k: shaHex("v1"), new: "added" },
    ],
  });
});

Deno.test("labels values with $TAG are rendered per chunk; a value may hold spaces", () => {
  const p = labels({ upsert: ["source $TAG[1]", "note a b c"] });
  const out = p.run(metricChunk([gaugeMetric("m")], "metrics.node"));
  assertEquals(seriesOf(out), { m: [{ source: "node", note: "a b c" }] });
});

Deno.test("labels warns when no action is set and passes chunks through", () => {
  const p = labels({});
  const c = metricChunk([gaugeMetric("m", [{ a: "1" }])]);
  assertEquals([p.warnings.length, p.run(c)], [1, c]);
});

Deno.test("labels rejects a value without a name at config time", () => {
  assertThrows(
    () => labels({ upsert: "lonely" }),
    SyntaxError,
    "'upsert' expects a label name and a value",
  );
});
