/**
 * `deno task bench:lua-engines`: how the lua filter's engine was chosen. The same typical
 * Fluent Bit script (add a field, rename a key) and a heavier one (string.match, string.format)
 * run per record on fengari (Lua 5.3 in JavaScript) and wasmoon (Lua 5.4 in WebAssembly),
 * each through its raw C API (push the record as a table, call, read the table back);
 * records/s of each. wasmoon also fails to run from `deno task bundle`'s dist/sluice.js (its
 * loader needs `__filename` and a glue.wasm file beside it), which decided for fengari.
 */
import fengari from "fengari";
import { LuaFactory } from "wasmoon";
import { loadAverage } from "./measure.ts";

const LIGHT = `function cb(tag, ts, record)
  record["service"] = "web"
  record["message"] = record["log"]
  record["log"] = nil
  return 2, ts, record
end`;
const HEAVY = `function cb(tag, ts, record)
  local ip, method, path, status = string.match(record["log"], '^(%S+) .- "(%u+) (%S+) [^"]*" (%d+)')
  record["ip"] = ip
  record["method"] = string.lower(method)
  record["path"] = path
  record["status"] = tonumber(status)
  record["msg"] = string.format("%s %s -> %d", method, path, record["status"])
  record["log"] = nil
  return 2, ts, record
end`;
const N = 50_000;
const record = () => ({
  log: '127.0.0.1 - - [04/Dec/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 512',
  stream: "stdout",
  time: "2026-12-04T10:00:00.123456789Z",
  code: 200,
});

type Value = string | number | Record<string, unknown> | null;

function runFengari(script: string): number {
  const { lua, lauxlib, lualib, to_luastring } = fengari;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  lauxlib.luaL_dostring(L, to_luastring(script));
  const enc = new TextEncoder();
  const push = (v: unknown) => {
    if (typeof v === "string") lua.lua_pushstring(L, enc.encode(v));
    else if (typeof v === "number") lua.lua_pushnumber(L, v);
    else {
      lua.lua_createtable(L, 0, 4);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        push(x);
        lua.lua_setfield(L, -2, enc.encode(k));
      }
    }
  };
  const read = (i: number): Value => {
    const t = lua.lua_type(L, i);
    if (t === lua.LUA_TSTRING) return lua.lua_tojsstring(L, i);
    if (t === lua.LUA_TNUMBER) return lua.lua_tonumber(L, i);
    if (t !== lua.LUA_TTABLE) return null;
    const o: Record<string, unknown> = {};
    lua.lua_pushnil(L);
    while (lua.lua_next(L, i - 1)) {
      o[lua.lua_tojsstring(L, -2)] = read(-1);
      lua.lua_pop(L, 1);
    }
    return o;
  };
  const name = to_luastring("cb");
  const t0 = performance.now();
  for (let n = 0; n < N; n++) {
    lua.lua_getglobal(L, name);
    lua.lua_pushstring(L, name);
    lua.lua_pushnumber(L, 1764842400.123456);
    push(record());
    lua.lua_pcall(L, 3, 3, 0);
    read(-1);
    lua.lua_settop(L, 0);
  }
  return N / ((performance.now() - t0) / 1000);
}

async function runWasmoon(script: string): Promise<number> {
  const engine = await new LuaFactory().createEngine({ injectObjects: false, enableProxy: false });
  await engine.doString(script);
  const w = engine.global.lua;
  const L = engine.global.address;
  const push = (v: unknown) => {
    if (typeof v === "string") w.lua_pushstring(L, v);
    else if (typeof v === "number") w.lua_pushnumber(L, v);
    else {
      w.lua_createtable(L, 0, 4);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        push(x);
        w.lua_setfield(L, -2, k);
      }
    }
  };
  const read = (i: number): Value => {
    const t = w.lua_type(L, i);
    if (t === 4) return w.lua_tolstring(L, i, null);
    if (t === 3) return w.lua_tonumberx(L, i, null);
    if (t !== 5) return null;
    const o: Record<string, unknown> = {};
    w.lua_pushnil(L);
    while (w.lua_next(L, i - 1)) {
      o[w.lua_tolstring(L, -2, null)] = read(-1);
      w.lua_settop(L, -2);
    }
    return o;
  };
  const t0 = performance.now();
  for (let n = 0; n < N; n++) {
    w.lua_getglobal(L, "cb");
    w.lua_pushstring(L, "app.log");
    w.lua_pushnumber(L, 1764842400.123456);
    push(record());
    w.lua_pcallk(L, 3, 3, 0, 0, null);
    read(-1);
    w.lua_settop(L, 0);
  }
  const rate = N / ((performance.now() - t0) / 1000);
  engine.global.close();
  return rate;
}

const fmt = (r: number) => Math.round(r).toLocaleString("en-US").padStart(9);
console.log(
  `lua engines, ${N.toLocaleString("en-US")} records per run; load average ${loadAverage()}`,
);
for (const [name, script] of [["typical", LIGHT], ["heavier", HEAVY]] as const) {
  runFengari(script); // warm-up
  const f = runFengari(script);
  await runWasmoon(script);
  const w = await runWasmoon(script);
  console.log(`${name.padEnd(8)} fengari ${fmt(f)} records/s   wasmoon ${fmt(w)} records/s`);
}
