/**
 * `deno task bench:lua`: the lua filter running a typical script (add a field, rename a key)
 * on 200,000 JSON lines: tail (json parser, exit_on_eof) → lua → null, in sluice and, when
 * its binary is there, in Fluent Bit 4.2.8 (LuaJIT) on the same config; records/s, CPU
 * seconds, peak RSS and the ratios, plus the same pipeline without lua for each, so the
 * filter's own cost shows. Set BENCH_LUA_LINES to change the line count.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { benchLine } from "./lines.ts";
import { loadAverage, measure, type Measurement, report, sluiceCommand } from "./measure.ts";

const LINES = Number(Deno.env.get("BENCH_LUA_LINES") ?? 200_000);
const dir = await Deno.makeTempDir({ prefix: "sluice_bench_lua_" });
const input = `${dir}/lines.json`;
const script = `${dir}/enrich.lua`;

const lines: string[] = [];
for (let i = 0; lines.length < LINES; i++) if (i % 2 === 1) lines.push(benchLine(i));
await Deno.writeTextFile(input, lines.join("\n") + "\n");
await Deno.writeTextFile(
  script,
  `function cb_enrich(tag, timestamp, record)
  record["service"] = "checkout"
  record["message"] = record["msg"]
  record["msg"] = nil
  return 2, timestamp, record
end
`,
);

function config(withLua: boolean): string {
  const lua = withLua
    ? `  filters:
    - name: lua
      match: '*'
      script: ${script}
      call: cb_enrich
`
    : "";
  return `service:
  flush: 0.2
  log_level: warn
parsers:
  - name: bench_json
    format: json
pipeline:
  inputs:
    - name: tail
      path: ${input}
      read_from_head: true
      exit_on_eof: true
      parser: bench_json
${lua}  outputs:
    - name: "null"
      match: '*'
`;
}

const withLua = `${dir}/lua.yaml`;
const without = `${dir}/plain.yaml`;
await Deno.writeTextFile(withLua, config(true));
await Deno.writeTextFile(without, config(false));

const { entry, cmd: sluice } = await sluiceCommand();
const fb = await fluentBitPath();
const fbBin = fb?.replace(/\/run$/, "/fluent-bit");

console.log(
  `lua filter benchmark: ${LINES.toLocaleString("en-US")} JSON lines, tail + json -> lua ` +
    `(add a field, rename a key) -> null (${entry}); load average ${loadAverage()} ` +
    `(2 cores shared with other work)`,
);

async function run(name: string, cmd: string[]): Promise<Measurement> {
  const m = await measure(cmd);
  console.log(report(name, LINES, m));
  if (m.code !== 0) console.log(`!! ${name} exited with ${m.code}: ${m.stderr.slice(-500)}`);
  return m;
}

const sLua = await run("sluice tail -> lua -> null", [...sluice, "-c", withLua]);
const sPlain = await run("sluice tail -> null", [...sluice, "-c", without]);
if (!fbBin) {
  console.log("Fluent Bit 4.2.8 peer not found: sluice figures only");
} else {
  const fLua = await run("fluent-bit tail -> lua -> null", [fbBin, "-c", withLua]);
  const fPlain = await run("fluent-bit tail -> null", [fbBin, "-c", without]);
  const rate = (m: Measurement) => LINES / m.wall;
  console.log(
    `ratio sluice / Fluent Bit with lua: ${(rate(sLua) / rate(fLua)).toFixed(2)}x records/s, ` +
      `${(sLua.cpu / fLua.cpu).toFixed(2)}x CPU-s, ${
        (sLua.peakRssMb / fLua.peakRssMb).toFixed(2)
      }x peak RSS`,
  );
  const cost = (a: Measurement, b: Measurement) => ((a.cpu - b.cpu) * 1e6 / LINES).toFixed(2);
  console.log(
    `lua's own CPU per 1M records: sluice ${cost(sLua, sPlain)} s, ` +
      `Fluent Bit ${cost(fLua, fPlain)} s; load average ${loadAverage()}`,
  );
}
await Deno.remove(dir, { recursive: true });
