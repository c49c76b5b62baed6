import { assertEquals } from "../src/testing/assert.ts";
import {
  findCycles,
  importsOf,
  LAYER_RULES,
  layerBreaches,
  type ModuleGraph,
  resolveSpecifier,
} from "./check_cycles.ts";

function graph(edges: Record<string, string[]>): ModuleGraph {
  const g: ModuleGraph = new Map();
  for (const [from, tos] of Object.entries(edges)) {
    g.set(from, tos.map((to) => ({ to, typeOnly: false })));
  }
  return g;
}

Deno.test("importsOf() reads import and export-from statements, not examples in comments", () => {
  const source = [
    'import { a } from "./a.ts";',
    "import type {",
    "  B,",
    '} from "../b.ts";',
    'export { c } from "./c.ts";',
    'export type { D } from "./d.ts";',
    'import "./side_effect.ts";',
    'import { parse } from "yaml";',
    "/**",
    ' * import { e } from "./e.ts";',
    " */",
    'const s = "import { f } from \\"./f.ts\\"";',
  ].join("\n");
  assertEquals(importsOf(source), [
    { to: "./a.ts", typeOnly: false },
    { to: "../b.ts", typeOnly: true },
    { to: "./c.ts", typeOnly: false },
    { to: "./d.ts", typeOnly: true },
    { to: "./side_effect.ts", typeOnly: false },
  ]);
});

Deno.test("resolveSpecifier() resolves against the importing module's folder", () => {
  assertEquals(
    resolveSpecifier("src/engine/build/inputs.ts", "../router.ts"),
    "src/engine/router.ts",
  );
  assertEquals(resolveSpecifier("main.ts", "./src/service.ts"), "src/service.ts");
  assertEquals(
    resolveSpecifier("plugins/inputs/tail/mod.ts", "../../../src/plugin.ts"),
    "src/plugin.ts",
  );
});

Deno.test("findCycles() gives each circle once, as the path round it", () => {
  const g = graph({
    "a.ts": ["b.ts"],
    "b.ts": ["c.ts"],
    "c.ts": ["a.ts", "d.ts"],
    "d.ts": [],
    "e.ts": ["e.ts"],
    "f.ts": ["a.ts", "npm.ts"],
  });
  assertEquals(findCycles(g), [["a.ts", "b.ts", "c.ts", "a.ts"], ["e.ts", "e.ts"]]);
});

Deno.test("findCycles() finds none in a graph without circles", () => {
  assertEquals(findCycles(graph({ "a.ts": ["b.ts", "c.ts"], "b.ts": ["c.ts"], "c.ts": [] })), []);
});

Deno.test("layerBreaches() flags the engine importing the server and src/ importing plugins", () => {
  const g = graph({
    "src/engine/pipeline.ts": ["src/server/server.ts", "src/engine/router.ts"],
    "src/config/resolve.ts": ["plugins/mod.ts"],
    "src/cli/run.ts": ["plugins/mod.ts", "src/service.ts"],
    "src/service.ts": ["src/server/server.ts", "src/engine/pipeline.ts"],
  });
  assertEquals(layerBreaches(g, LAYER_RULES), [
    "src/config/resolve.ts → plugins/mod.ts: src/ knows no plugin (only src/cli and src/service.ts may import plugins/)",
    "src/engine/pipeline.ts → src/server/server.ts: the engine imports neither the server, the CLI nor the service wiring",
  ]);
});
