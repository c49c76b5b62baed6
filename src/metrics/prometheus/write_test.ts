import { assertEquals } from "../../testing/assert.ts";
import { parsePrometheusText } from "./parse.ts";
import { writePrometheusText } from "./write.ts";

const dir = new URL("../../../testdata/prometheus/", import.meta.url);
const sample = await Deno.readTextFile(new URL("sample.prom", dir));
const fluentBit = await Deno.readTextFile(new URL("sample.fluent-bit-exporter.txt", dir));

/** Fluent Bit's text with its %.17g and nan/inf spellings replaced by the exact forms. */
function canonical(text: string): string {
  return text.replace(/ nan$/gm, " NaN").replace(/ inf$/gm, " +Inf").replace(/ -inf$/gm, " -Inf")
    .replace("12.470000000000001", "12.47").replace("9.9999999999999995e-07", "1e-06");
}

Deno.test("writePrometheusText() lays out the sample as Fluent Bit's exporter does", () => {
  const { metrics } = parsePrometheusText(sample, { nowNs: 1n });
  const text = writePrometheusText(metrics, { staticLabels: [["app", "fb"]] });
  assertEquals(text, canonical(fluentBit));
});

Deno.test("writePrometheusText() output parses back to the same metrics", () => {
  const first = parsePrometheusText(sample, { nowNs: 5_000_000n });
  const text = writePrometheusText(first.metrics, { timestamps: true });
  const again = parsePrometheusText(text, { nowNs: 1n });
  assertEquals(again.problems, []);
  // untyped families come back untyped: the HELP line is empty, the rest identical.
  assertEquals(again.metrics.length, first.metrics.length);
  const names = (r: typeof first) => r.metrics.map((m) => m.name).sort();
  assertEquals(names(again), names(first));
  const byName = new Map(again.metrics.map((m) => [m.name, m]));
  for (const m of first.metrics) {
    assertEquals(
      JSON.stringify(byName.get(m.name)!.data, (_k, v) => typeof v === "bigint" ? `${v}n` : v),
      JSON.stringify(m.data, (_k, v) => typeof v === "bigint" ? `${v}n` : v),
      m.name,
    );
  }
});
