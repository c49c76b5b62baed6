/**
 * Per-line cost of the parsers a tail input runs on every line:
 * `deno bench src/parsers/parsers_bench.ts`.
 */
import { buildParserRegistry } from "./registry.ts";
import { compileTimeFormat } from "./time_format.ts";

const parsers = buildParserRegistry([]);
const LINES = 1000;
/** Distinct, flat strings, as a file reader would hand them over. */
function lines(make: (i: number) => string): string[] {
  return JSON.parse(JSON.stringify(Array.from({ length: LINES }, (_, i) => make(i))));
}
const sec = (i: number) => String(i % 60).padStart(2, "0");
const json = lines((i) =>
  `{"time":"2${i % 10}/Jul/2015:10:27:${sec(i)} -0300","level":"info","msg":"request ${i}",` +
  `"user":{"id":${i}},"latency_ms":${i % 1000}}`
);
const apache = lines((i) =>
  `192.168.1.${i % 250} - frank [10/Oct/2000:13:55:${sec(i)} -0700] "GET /a${i}.gif HTTP/1.0" ` +
  `200 ${i} "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"`
);
const times = lines((i) => `2${i % 10}/Jul/2015:10:27:${sec(i)} -0300`);

let n = 0;
Deno.bench("json parser, time dropped (per line)", { group: "line" }, () => {
  parsers.get("json")!.parse(json[n++ % LINES]!);
});
Deno.bench("bare JSON.parse (per line)", { group: "line", baseline: true }, () => {
  JSON.parse(json[n++ % LINES]!);
});
Deno.bench("apache2 regex parser (per line)", { group: "line" }, () => {
  parsers.get("apache2")!.parse(apache[n++ % LINES]!);
});
const access = compileTimeFormat("%d/%b/%Y:%H:%M:%S %z");
Deno.bench("time_format %d/%b/%Y:%H:%M:%S %z", () => {
  access.parse(times[n++ % LINES]!);
});
