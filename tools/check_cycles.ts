/**
 * `deno task cycles`: reads the local module graph from the import and export-from
 * statements of every .ts file under the given roots, and fails, printing each circle,
 * when modules import each other in a circle (type-only imports count: they tie the
 * layers together just the same). It also enforces the layer rules of ARCHITECTURE.md:
 * the engine imports neither the server nor the CLI nor the service wiring above it,
 * and `src/` knows no plugin (only the CLI and the top wiring may import `plugins/`).
 *
 * Usage: `deno run --allow-read tools/check_cycles.ts [ROOT...]` (default: main.ts src
 * plugins tests bench tools).
 */

/** One import of one module: the module it names and whether it is type-only. */
export interface ImportEdge {
  to: string;
  typeOnly: boolean;
}

/** The local module graph: module path (relative to the root) to what it imports. */
export type ModuleGraph = Map<string, ImportEdge[]>;

/** A layer rule: modules matching `from` must not import modules matching `to`. */
export interface LayerRule {
  from: (path: string) => boolean;
  to: (path: string) => boolean;
  /** The rule as a sentence, printed with each breach. */
  says: string;
}

const STATEMENT =
  /^(import|export)(\s+type)?\b[^;"'`]*?\bfrom\s*["']([^"']+)["']|^import\s*["']([^"']+)["']/gm;

/**
 * The relative specifiers a module's top-level import and export-from statements name.
 * Only statements that start a line count, so examples in comments are not imports.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../src/testing/assert.ts";
 *
 * assertEquals(importsOf('import type { A } from "./a.ts";\nexport { b } from "../b.ts";'), [
 *   { to: "./a.ts", typeOnly: true },
 *   { to: "../b.ts", typeOnly: false },
 * ]);
 * ```
 */
export function importsOf(source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of source.matchAll(STATEMENT)) {
    const to = m[3] ?? m[4];
    if (to.startsWith("./") || to.startsWith("../")) edges.push({ to, typeOnly: !!m[2] });
  }
  return edges;
}

/** `spec` as imported from `from`, both relative to the root: `src/a/b.ts` + `../c.ts`. */
export function resolveSpecifier(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const p of spec.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  return parts.join("/");
}

/**
 * Every circle of the graph, one per strongly connected component of two or more
 * modules (or a module importing itself), as the path that goes round it.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../src/testing/assert.ts";
 *
 * const g = new Map([
 *   ["a.ts", [{ to: "b.ts", typeOnly: false }]],
 *   ["b.ts", [{ to: "a.ts", typeOnly: true }]],
 * ]);
 * assertEquals(findCycles(g), [["a.ts", "b.ts", "a.ts"]]);
 * ```
 */
export function findCycles(graph: ModuleGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let next = 0;
  const targets = (v: string) => (graph.get(v) ?? []).map((e) => e.to).filter((t) => graph.has(t));

  // Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack.
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { v: string; edges: string[]; i: number }[] = [];
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      work.push({ v, edges: targets(v), i: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame.i < frame.edges.length) {
        const w = frame.edges[frame.i++];
        if (!index.has(w)) visit(w);
        else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(frame.v)!));
      if (low.get(frame.v) !== index.get(frame.v)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== frame.v);
      const selfLoop = targets(frame.v).includes(frame.v);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  }
  return components.map((c) => circleThrough(graph, new Set(c)));
}

/** The shortest path from the component's first module (by name) back to itself. */
function circleThrough(graph: ModuleGraph, members: Set<string>): string[] {
  const start = [...members].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const v = queue[at];
    for (const { to } of graph.get(v) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let u = v; u !== start; u = cameFrom.get(u)!) path.unshift(u);
        path.unshift(start);
        return path;
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, v);
        queue.push(to);
      }
    }
  }
  return [start, start];
}

/** Every import that breaks a rule, as `from → to: rule`. */
export function layerBreaches(graph: ModuleGraph, rules: readonly LayerRule[]): string[] {
  const breaches: string[] = [];
  for (const [from, edges] of graph) {
    for (const { to } of edges) {
      for (const r of rules) {
        if (r.from(from) && r.to(to)) breaches.push(`${from} → ${to}: ${r.says}`);
      }
    }
  }
  return breaches.sort();
}

const under = (dir: string) => (p: string) => p.startsWith(`${dir}/`);
const ABOVE_ENGINE = (p: string) =>
  under("src/server")(p) || under("src/cli")(p) || p === "src/service.ts";

/** The layer rules of ARCHITECTURE.md that the import graph can show. */
export const LAYER_RULES: readonly LayerRule[] = [
  {
    from: under("src/engine"),
    to: ABOVE_ENGINE,
    says: "the engine imports neither the server, the CLI nor the service wiring",
  },
  {
    from: (p) => under("src")(p) && !under("src/cli")(p) && p !== "src/service.ts",
    to: under("plugins"),
    says: "src/ knows no plugin (only src/cli and src/service.ts may import plugins/)",
  },
];

/** Reads the graph of every .ts file under `roots` (files or folders, relative to `base`). */
export async function readGraph(base: string, roots: readonly string[]): Promise<ModuleGraph> {
  const graph: ModuleGraph = new Map();
  async function add(path: string): Promise<void> {
    const info = await Deno.stat(`${base}/${path}`);
    if (info.isDirectory) {
      const names: string[] = [];
      for await (const e of Deno.readDir(`${base}/${path}`)) names.push(e.name);
      for (const n of names.sort()) {
        if (n.startsWith(".") || n === "node_modules") continue;
        const child = `${path}/${n}`;
        if (n.endsWith(".ts") || (await Deno.stat(`${base}/${child}`)).isDirectory) {
          await add(child);
        }
      }
      return;
    }
    const text = await Deno.readTextFile(`${base}/${path}`);
    graph.set(
      path,
      importsOf(text).map((e) => ({ to: resolveSpecifier(path, e.to), typeOnly: e.typeOnly })),
    );
  }
  for (const r of roots) await add(r.replace(/\/+$/, ""));
  return graph;
}

/** Prints every circle and layer breach; returns the exit code (1 when there is one). */
export async function checkCycles(base: string, roots: readonly string[]): Promise<number> {
  const graph = await readGraph(base, roots);
  const cycles = findCycles(graph);
  const breaches = layerBreaches(graph, LAYER_RULES);
  for (const c of cycles) {
    const steps = c.slice(1).map((to, i) => {
      const typeOnly = graph.get(c[i])!.filter((e) => e.to === to).every((e) => e.typeOnly);
      return `${typeOnly ? " →(type) " : " → "}${to}`;
    });
    console.error(`import circle: ${c[0]}${steps.join("")}`);
  }
  for (const b of breaches) console.error(`layer: ${b}`);
  if (cycles.length + breaches.length > 0) {
    console.error(
      `check_cycles: ${cycles.length} import circle(s), ${breaches.length} layer breach(es) ` +
        `in ${graph.size} modules`,
    );
    return 1;
  }
  console.log(`check_cycles: no import circle, no layer breach in ${graph.size} modules`);
  return 0;
}

if (import.meta.main) {
  const base = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const roots = Deno.args.length > 0
    ? Deno.args
    : ["main.ts", "src", "plugins", "tests", "bench", "tools"];
  Deno.exit(await checkCycles(base, roots));
}
