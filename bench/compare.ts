/**
 * `deno task bench:compare`: each pipeline of bench/compare_suites.ts with sluice and with
 * Fluent Bit 4.2.8, side by side on the same data and the same YAML, rounds alternating
 * which side goes first, then one table of medians: wall seconds, CPU seconds, peak RSS
 * and the ratios. Fluent Bit is `$FLUENT_BIT`, else the binary in
 * ../shared/peers/fluent-bit-4.2.8/; without it sluice runs alone and the table says so.
 *
 * Options (flags or environment): `--rounds N` / `BENCH_ROUNDS` (3), `--rows REGEX` /
 * `BENCH_ROWS` (every row), `BENCH_LINES` (1,000,000), `BENCH_IDLE_SECONDS` (10).
 *
 * Then the OTLP/HTTP spans/s rows of bench/otlp_compare.ts (traces -> null, -> OTLP out,
 * -> tail sampling -> OTLP out; 100 spans a request, 8 clients), in a table of their own,
 * when `--rows` matches "traces" (or is not given); `BENCH_SPANS` sets their span count.
 */
import type { CompareSide, RowContext } from "./compare_row.ts";
import { compareRows } from "./compare_suites.ts";
import { compareTable, type RowRuns } from "./compare_table.ts";
import { benchInput } from "./lines.ts";
import { loadAverage, sluiceCommand } from "./measure.ts";
import { otlpCompareRows, otlpCompareTable } from "./otlp_compare.ts";

const root = new URL("..", import.meta.url).pathname;

function flag(name: string): string | undefined {
  const at = Deno.args.indexOf(`--${name}`);
  return at === -1 ? undefined : Deno.args[at + 1];
}

/** The Fluent Bit binary, called directly (the run wrapper first installs missing libraries). */
async function fluentBit(): Promise<string | null> {
  const dir = `${root}../shared/peers/fluent-bit-4.2.8`;
  const bin = Deno.env.get("FLUENT_BIT") ?? `${dir}/fluent-bit`;
  const runs = async (cmd: string) =>
    (await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
      .output().catch(() => null))?.success === true;
  if (await runs(bin)) return bin;
  if (Deno.env.get("FLUENT_BIT") === undefined && await runs(`${dir}/run`) && await runs(bin)) {
    return bin;
  }
  return null;
}

const rounds = Number(flag("rounds") ?? Deno.env.get("BENCH_ROUNDS") ?? 3);
const only = flag("rows") ?? Deno.env.get("BENCH_ROWS");
const { lines, out, input } = await benchInput();
const { entry, cmd: sluice } = await sluiceCommand();
const bin = await fluentBit();

const sides: CompareSide[] = [{ name: "sluice", cmd: (path) => [...sluice, "-c", path] }];
if (bin !== null) sides.push({ name: "Fluent Bit", cmd: (path) => [bin, "-c", path] });

const dir = `${out}/compare`;
await Deno.mkdir(dir, { recursive: true });
const ctx: RowContext = { dir, input, lines };
// Warm the page cache.
for await (const _ of (await Deno.open(input)).readable) { /* read */ }

console.log(
  `bench:compare: ${lines.toLocaleString("en-US")} lines of ~210 B, ${rounds} rounds, ` +
    `sluice ${entry}, ${bin === null ? "no Fluent Bit peer: sluice alone" : `Fluent Bit ${bin}`}`,
);
const loadBefore = loadAverage();
let loadMax = Number(loadBefore) || 0;
const results: RowRuns[] = [];
for (const row of compareRows()) {
  if (only !== undefined && !new RegExp(only).test(row.name)) continue;
  await row.setup?.(ctx, sides);
  const runs: RowRuns = { row, sluice: [], fluentBit: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const res = await row.run(side, ctx);
      (side.name === "sluice" ? runs.sluice : runs.fluentBit).push(res);
      loadMax = Math.max(loadMax, Number(loadAverage()) || 0);
      console.log(
        `  ${row.name} [${side.name}, round ${r + 1}] wall ${res.wall?.toFixed(3) ?? "-"} s, ` +
          `CPU ${res.cpu?.toFixed(2) ?? "-"} s, RSS ${res.rssMb?.toFixed(1) ?? "-"} MiB` +
          (res.rate === undefined ? "" : `, ${res.rate.toFixed(0)} ${row.rateUnit ?? ""}`) +
          (res.problem ? `  !! ${res.problem}` : "") + `  (load ${loadAverage()})`,
      );
    }
  }
  await row.teardown?.();
  results.push(runs);
}
console.log("");
console.log(compareTable(results, bin !== null));
console.log(
  `load average (1 min): ${loadBefore} at start, ${loadAverage()} at end, ` +
    `${loadMax.toFixed(2)} at most after a run`,
);

if (only === undefined || new RegExp(only).test("traces")) {
  console.log("\nOTLP/HTTP spans/s (bench/otlp_compare.ts):");
  const otlp = await otlpCompareRows({ rounds });
  console.log("");
  console.log(otlpCompareTable(otlp));
  console.log(`load average (1 min) after the OTLP rows: ${loadAverage()}`);
}
