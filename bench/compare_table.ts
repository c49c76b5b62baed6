/** The table `deno task bench:compare` prints: medians per side and the ratios. */
import type { CompareRow, RowResult } from "./compare_row.ts";

/** Every run of one row, per side. */
export interface RowRuns {
  row: CompareRow;
  sluice: RowResult[];
  fluentBit: RowResult[];
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function pick(runs: readonly RowResult[], key: "wall" | "cpu" | "rssMb" | "rate"): number {
  return median(runs.map((r) => r[key]).filter((x): x is number => x !== undefined));
}

function fmt(x: number, digits: number): string {
  return Number.isNaN(x) ? "-" : x.toFixed(digits);
}

function side(runs: readonly RowResult[], rate: boolean): string {
  const figures = `${fmt(pick(runs, "wall"), 3)} / ${fmt(pick(runs, "cpu"), 2)} / ${
    fmt(pick(runs, "rssMb"), 1)
  }`;
  return rate ? `${figures} / ${fmt(pick(runs, "rate"), 0)}` : figures;
}

function ratio(a: number, b: number): string {
  return Number.isNaN(a) || Number.isNaN(b) || b === 0 ? "-" : (a / b).toFixed(2);
}

/** The Markdown table: sluice, Fluent Bit, then Fluent Bit ÷ sluice for wall, CPU and RSS. */
export function compareTable(all: readonly RowRuns[], withPeer: boolean): string {
  const head = withPeer
    ? "| pipeline | sluice wall s / CPU s / peak RSS MiB | Fluent Bit wall s / CPU s / peak RSS MiB " +
      "| speed (FB wall ÷ sluice wall) | CPU (FB ÷ sluice) | RSS (FB ÷ sluice) |\n" +
      "|---|---|---|---|---|---|"
    : "| pipeline | sluice wall s / CPU s / peak RSS MiB |\n|---|---|";
  const lines = [head];
  const notes: string[] = [];
  for (const { row, sluice, fluentBit } of all) {
    const rate = row.rateUnit !== undefined;
    const name = rate ? `${row.name} (last figure: ${row.rateUnit})` : row.name;
    if (!withPeer) {
      lines.push(`| ${name} | ${side(sluice, rate)} |`);
    } else {
      const r = (k: "wall" | "cpu" | "rssMb") => ratio(pick(fluentBit, k), pick(sluice, k));
      lines.push(
        `| ${name} | ${side(sluice, rate)} | ${side(fluentBit, rate)} | ${r("wall")} | ${
          r("cpu")
        } | ${r("rssMb")} |`,
      );
    }
    if (row.note) notes.push(`${row.name}: ${row.note}`);
    for (const [who, runs] of [["sluice", sluice], ["Fluent Bit", fluentBit]] as const) {
      const bad = runs.filter((x) => x.problem !== undefined);
      if (bad.length > 0) notes.push(`!! ${row.name} (${who}): ${bad.map((x) => x.problem)}`);
    }
  }
  return [...lines, "", ...notes].join("\n");
}
