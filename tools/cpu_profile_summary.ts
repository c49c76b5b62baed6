/**
 * Sums the self time of each function in a V8 `.cpuprofile` (`deno run --cpu-prof`) and
 * prints the top entries with their share of the sampled time, and the share of each file.
 *
 * Usage: `deno run --allow-read tools/cpu_profile_summary.ts FILE.cpuprofile [TOP] [--inclusive]
 * [--from=S] [--to=S] [--timeline=MS]` (`--inclusive` also lists time with each function on
 * the stack; `--from`/`--to` keep the samples between those seconds after the profile
 * started; `--timeline` prints the idle share and top function of each MS slice first).
 * Look at the timeline before reading "(idle)" off a whole run: a bench run's profile also
 * holds start-up and what follows the load (a tail sampler's decision_wait, the grace
 * period), and a thread waiting for a CPU on a busy machine shows as the function it was in.
 */

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime?: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Seconds after the profile's start, as `--from` and `--to` give them. */
export interface Window {
  from?: number;
  to?: number;
}

/** The profile with only the samples inside `w` (their time deltas kept). */
export function windowed(profile: Profile, w: Window): Profile {
  if (w.from === undefined && w.to === undefined) return profile;
  const from = (w.from ?? 0) * 1e6;
  const to = (w.to ?? Infinity) * 1e6;
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let t = 0;
  const all = profile.samples ?? [];
  for (let i = 0; i < all.length; i++) {
    const d = profile.timeDeltas?.[i] ?? 0;
    t += d;
    if (t < from || t > to) continue;
    samples.push(all[i]!);
    timeDeltas.push(d);
  }
  return { ...profile, samples, timeDeltas };
}

/** Per slice of `ms`: its start (s), sampled ms, idle share and top self function. */
export function timeline(profile: Profile, ms: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const slices = new Map<number, Map<string, number>>();
  let t = 0;
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    const d = profile.timeDeltas?.[i] ?? 0;
    t += d;
    const slice = Math.floor(t / 1000 / ms);
    const name = byId.get(samples[i]!)!.callFrame.functionName || "(anonymous)";
    let m = slices.get(slice);
    if (m === undefined) slices.set(slice, m = new Map());
    m.set(name, (m.get(name) ?? 0) + d / 1000);
  }
  return [...slices].sort((a, b) => a[0] - b[0]).map(([slice, m]) => {
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    const idle = m.get("(idle)") ?? 0;
    const [top, topMs] = [...m].filter(([k]) => k !== "(idle)").sort((a, b) => b[1] - a[1])[0] ??
      ["-", 0];
    const pct = (x: number) => `${(100 * x / (total || 1)).toFixed(0).padStart(3)}%`;
    return `${(slice * ms / 1000).toFixed(2).padStart(6)} s  ${total.toFixed(0).padStart(4)} ms  ` +
      `idle ${pct(idle)}  top ${top} ${pct(topMs)}`;
  });
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
  const flag = (name: string) => {
    const a = Deno.args.find((a) => a.startsWith(`--${name}=`));
    return a === undefined ? undefined : Number(a.slice(name.length + 3));
  };
  const inclusive = Deno.args.includes("--inclusive");
  const [path, top = "30"] = Deno.args.filter((a) => !a.startsWith("--"));
  if (path === undefined) {
    console.error(
      "usage: cpu_profile_summary.ts FILE.cpuprofile [TOP] [--inclusive] [--from=S] [--to=S] " +
        "[--timeline=MS]",
    );
    Deno.exit(2);
  }
  const whole = JSON.parse(await Deno.readTextFile(path)) as Profile;
  const slice = flag("timeline");
  if (slice !== undefined) { for (const line of timeline(whole, slice)) console.log(line); }
  const profile = windowed(whole, { from: flag("from"), to: flag("to") });
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
