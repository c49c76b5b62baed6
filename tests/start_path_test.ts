/**
 * What every start loads: the modules `main.ts` reaches by static imports (`deno info`). The
 * node-compatible modules and the heavy npm packages below cost tens of milliseconds and
 * megabytes each at start; plugins and the transport import them where first needed
 * (plugins/README.md, "Loading only what a config uses"), so none may be on this path.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { ROOT } from "./_helpers.ts";

const HEAVY = [
  "node:zlib",
  "node:http",
  "node:https",
  "node:tls",
  "node:crypto",
  "node:sqlite",
  "node:dgram",
  "node:net",
  "npm:/fengari",
  "npm:/postgres",
  "npm:/@bufbuild/protobuf",
];

interface InfoModule {
  specifier: string;
  kind?: string;
  dependencies?: { isDynamic?: boolean; code?: { specifier?: string } }[];
}

/** Each module reached from the root by static imports, with the module that imported it. */
function staticGraph(info: {
  roots: string[];
  modules: InfoModule[];
  redirects: Record<string, string>;
}): Map<string, string> {
  const byName = new Map(info.modules.map((m) => [m.specifier, m]));
  const real = (s: string) => info.redirects[s] ?? s;
  const root = real(info.roots[0]!);
  const from = new Map<string, string>([[root, ""]]);
  const queue = [root];
  while (queue.length > 0) {
    const m = byName.get(queue.shift()!);
    if (!m || m.kind !== "esm") continue;
    for (const d of m.dependencies ?? []) {
      const target = d.code?.specifier;
      if (d.isDynamic || !target) continue;
      const to = real(target);
      if (from.has(to)) continue;
      from.set(to, m.specifier);
      queue.push(to);
    }
  }
  return from;
}

function chain(from: Map<string, string>, target: string): string {
  const out: string[] = [];
  for (let at: string | undefined = target; at; at = from.get(at)) {
    out.push(at.replace(`file://${ROOT}`, ""));
  }
  return out.reverse().join(" -> ");
}

Deno.test("main.ts reaches no node:zlib/http/tls/crypto/sqlite, fengari, postgres or protobuf by static imports", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assertEquals(out.code, 0);
  const from = staticGraph(JSON.parse(new TextDecoder().decode(out.stdout)));
  const found = [...from.keys()].filter((s) => HEAVY.some((h) => s.startsWith(h)));
  assertEquals(
    found.map((s) => chain(from, s)),
    [],
    "import these where first needed (plugins/README.md, Loading only what a config uses)",
  );
});
