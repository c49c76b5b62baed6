/**
 * The README's plugin table lists exactly the registered plugins: a plugin added to
 * `plugins/mod.ts` without a README entry, or a README entry without a plugin, fails here.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { registry } from "../plugins/registry.ts";
import type { PluginRegistry } from "../src/plugin.ts";

const KINDS = ["inputs", "filters", "processors", "outputs"] as const;

/** The plugin names per kind of the README's "## Plugins" table (backquoted names per row). */
export function readmePluginTable(readme: string): Record<string, string[]> {
  const start = readme.indexOf("\n## Plugins\n");
  if (start < 0) throw new SyntaxError('README.md has no "## Plugins" section');
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const table: Record<string, string[]> = {};
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (cells.length < 4) continue;
    const kind = cells[1];
    if (!(KINDS as readonly string[]).includes(kind)) continue;
    // Only the leading backquoted names: the row may go on in prose ("any filter on logs").
    table[kind] = [...cells[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();
  }
  return table;
}

function registered(reg: PluginRegistry): Record<string, string[]> {
  return Object.fromEntries(KINDS.map((k) => [k, [...reg[k].keys()].sort()]));
}

Deno.test("README plugin table names every registered plugin and no other", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  assertEquals(readmePluginTable(readme), registered(registry));
});

Deno.test("readmePluginTable() reads each kind's names and ignores the prose after them", () => {
  const text = [
    "# x",
    "## Plugins",
    "| kind | plugins |",
    "| ---- | ------- |",
    "| inputs | `b`, `a` |",
    "| processors | `s` (two modes); any filter on logs |",
    "## Next",
    "| outputs | `not_in_section` |",
  ].join("\n");
  assertEquals(readmePluginTable(text), { inputs: ["a", "b"], processors: ["s"] });
});
