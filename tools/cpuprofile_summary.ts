/**
 * Summarizes a V8 `.cpuprofile` (from `deno run --cpu-prof`): self time per function,
 * largest first, with its share of the samples, and the time under each of the
 * `--under NAME` functions (inclusive). Used to find the costs that commits quote.
 *
 * Usage: `deno run --allow-read tools/cpuprofile_summary.ts FILE.cpuprofile [--top N]
 * [--under NAME]...`
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url.replace(/^.*\/(perf-logs|sluice)\//, "").replace(/^file:\/\//, "");
  const name = f.functionName || "(anonymous)";
  return file ? `${name} ${file}:${f.lineNumber + 1}` : name;
}

const args = [...Deno.args];
const file = args.shift();
if (file === undefined) throw new TypeError("Cannot summarize: give a .cpuprofile file");
const top = Number(args[args.indexOf("--top") + 1] ?? 40) || 40;
const under = args.flatMap((a, i) => (args[i - 1] === "--under" ? [a] : []));

const p = JSON.parse(await Deno.readTextFile(file)) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
for (let i = 0; i < p.samples.length; i++) {
  const dt = (p.timeDeltas[i + 1] ?? p.timeDeltas[i] ?? 0) / 1000; // ms
  const id = p.samples[i]!;
  const node = byId.get(id)!;
  total += dt;
  const l = label(node);
  self.set(l, (self.get(l) ?? 0) + dt);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = byId.get(at)!.callFrame.functionName;
    if (under.includes(name) && !seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  }
}
const idle = self.get("(idle)") ?? 0;
console.log(
  `${file}: ${total.toFixed(0)} ms sampled, ${(total - idle).toFixed(0)} ms busy ` +
    `(${idle.toFixed(0)} ms idle)`,
);
const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
for (const [name, ms] of rows) {
  const pct = (100 * ms / (total - idle || 1)).toFixed(1);
  console.log(`${ms.toFixed(0).padStart(7)} ms ${pct.padStart(5)}%  ${name}`);
}
for (const [name, ms] of inclusive) {
  console.log(`under ${name}: ${ms.toFixed(0)} ms (${(100 * ms / (total - idle)).toFixed(1)}%)`);
}
