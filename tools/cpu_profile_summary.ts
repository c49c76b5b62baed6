/**
 * Sums the self time of each function in a V8 `.cpuprofile` (`deno run --cpu-prof`) and
 * prints the top entries with their share of the sampled time, and the share of each file.
 *
 * Usage: `deno run --allow-read tools/cpu_profile_summary.ts FILE.cpuprofile [TOP] [--inclusive]`
 * (`--inclusive` also lists time with each function on the stack).
 */

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Inclusive time (ms) per function of `profile` (a function counted once per sample). */
export function inclusiveTimes(profile: Profile): [string, number][] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      const name = `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      out.set(name, (out.get(name) ?? 0) + (deltas[i] ?? 0) / 1000);
    }
  }
  return [...out].sort((a, b) => b[1] - a[1]);
}

function shortUrl(url: string): string {
  return url.replace(/^.*\/(src|plugins|bench|node_modules|ext:)/, "$1") || "(native)";
}

/** Self time (ms) per function and per file of `profile`, biggest first. */
export function selfTimes(profile: Profile): {
  total: number;
  functions: [string, number][];
  files: [string, number][];
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const fns = new Map<string, number>();
  const files = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const f = byId.get(id)!.callFrame;
    const file = shortUrl(f.url);
    const name = `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
    fns.set(name, (fns.get(name) ?? 0) + ms);
    files.set(file, (files.get(file) ?? 0) + ms);
    total += ms;
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { total, functions: sorted(fns), files: sorted(files) };
}

if (import.meta.main) {
  const inclusive = Deno.args.includes("--inclusive");
  const [path, top = "30"] = Deno.args.filter((a) => a !== "--inclusive");
  if (path === undefined) {
    console.error("usage: cpu_profile_summary.ts FILE.cpuprofile [TOP]");
    Deno.exit(2);
  }
  const profile = JSON.parse(await Deno.readTextFile(path)) as Profile;
  const { total, functions, files } = selfTimes(profile);
  const pct = (ms: number) => `${(100 * ms / total).toFixed(1).padStart(5)}%`;
  console.log(`${total.toFixed(0)} ms sampled`);
  for (const [name, ms] of functions.slice(0, Number(top))) {
    console.log(`${pct(ms)} ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  }
  if (inclusive) {
    console.log("inclusive:");
    for (const [name, ms] of inclusiveTimes(profile).slice(0, Number(top))) {
      console.log(`${pct(ms)} ${ms.toFixed(0).padStart(6)} ms  ${name}`);
    }
  }
  console.log("by file:");
  for (const [name, ms] of files.slice(0, 15)) {
    console.log(`${pct(ms)} ${ms.toFixed(0).padStart(6)} ms  ${name}`);
  }
}
