/**
 * Real Fluent Bit Lua scripts (testdata/lua/README.md says where each comes from) give the
 * same records in sluice as in Fluent Bit 4.2.8: tail → lua → stdout json_lines, as a filter
 * and as a logs processor. The records Fluent Bit printed are kept in testdata/lua/expected/,
 * so the sluice half runs without the peer; with the peer, its live output is checked against
 * them too (UPDATE_LUA_EXPECTED=1 rewrites them from the peer).
 */
import { assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER } from "../src/testing/fluent_bit.ts";
import { runSluice } from "./_helpers.ts";
import {
  caseConfig,
  expectedPath,
  jsonLines,
  LUA_DATA,
  type LuaCase,
  luaCases,
  type Placement,
} from "./_lua_cases.ts";

const cases = await luaCases();
const peer = await fluentBitPath();
const ENV = { TZ: "UTC" };

async function configFile(c: LuaCase, placement: Placement): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_lua_" });
  const input = `${dir}/input.jsonl`;
  await Deno.copyFile(`${LUA_DATA}input.jsonl`, input);
  const path = `${dir}/fluent-bit.yaml`;
  await Deno.writeTextFile(path, caseConfig(c, placement, input));
  return path;
}

async function expected(c: LuaCase): Promise<unknown[]> {
  return jsonLines(await Deno.readTextFile(expectedPath(c)));
}

async function runPeer(bin: string, config: string): Promise<unknown[]> {
  const child = new Deno.Command(bin, {
    args: ["-c", config],
    stdout: "piped",
    stderr: "piped",
    env: ENV,
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const out = await child.output();
  clearTimeout(timer);
  return jsonLines(new TextDecoder().decode(out.stdout));
}

for (const c of cases) {
  for (const placement of ["filter", "processor"] as const) {
    if (placement === "processor" && !["semantics", "split", "extract_trace_id"].includes(c.name)) {
      continue;
    }
    Deno.test(`lua ${placement} ${c.name} (${c.script}): sluice prints Fluent Bit's records`, async () => {
      const config = await configFile(c, placement);
      const r = await runSluice(["-c", config], { env: ENV, timeoutMs: 60_000 });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(jsonLines(r.stdout), await expected(c), r.stderr);
      await Deno.remove(config.replace(/\/[^/]+$/, ""), { recursive: true });
    });
    Deno.test({
      name: `lua ${placement} ${c.name}: Fluent Bit 4.2.8 still prints the kept records`,
      ignore: false,
      fn: async (t) => {
        if (!peer) {
          console.log(NO_PEER);
          return;
        }
        const config = await configFile(c, placement);
        const records = await runPeer(peer, config);
        await Deno.remove(config.replace(/\/[^/]+$/, ""), { recursive: true });
        if (Deno.env.get("UPDATE_LUA_EXPECTED") && placement === "filter") {
          await Deno.mkdir(`${LUA_DATA}expected`, { recursive: true });
          const text = records.map((x) => JSON.stringify(x)).join("\n");
          await Deno.writeTextFile(expectedPath(c), text + "\n");
          await t.step("expected records rewritten", () => {});
        }
        assertEquals(records, await expected(c));
      },
    });
  }
}
