/**
 * One Lua state running one Fluent Bit script: the standard libraries, the Lua 5.1 names
 * of the prelude, `FLB_ENV`, `flb_null`, the script itself, and a time budget per call
 * enforced by an instruction-count hook (a script that loops forever is aborted).
 */
import { openBit } from "./bit.ts";
import { Converter, type KeyTypes } from "./convert.ts";
import { loadLua, type Lua, type LuaState } from "./fengari.ts";
import { PRELUDE } from "./prelude.ts";

/** How a script is loaded. */
export interface ScriptSource {
  /** The Lua source. */
  code: string;
  /** The chunk name errors show: `@path` for a file (`path:LINE:`), else `fluentbit.lua`. */
  chunkName: string;
}

/** What a state is built with. */
export interface StateOptions {
  source: ScriptSource;
  /** The global function to call. */
  call: string;
  flbNull: boolean;
  types: KeyTypes;
  /** `FLB_ENV`'s entries. */
  env: Record<string, string>;
  /** Milliseconds one call (or the script's top level) may run. */
  budgetMs: number;
}

/** Why a script could not be loaded; `key` is the option to blame. */
export class ScriptError extends Error {
  /** `code`, `script` or `call`. */
  readonly key: string;
  /** A message naming the problem. */
  constructor(key: string, message: string) {
    super(message);
    this.name = "ScriptError";
    this.key = key;
  }
}

/** How long a script's top level may run when it is loaded. */
const SCRIPT_LOAD_MS = 60_000;

/** The registry index of the globals table (Lua's LUA_RIDX_GLOBALS). */
const LUA_RIDX_GLOBALS = 2;

/** Thrown out of a call by the budget hook, so a timeout is told from a script error. */
export const BUDGET_MESSAGE = "time budget exceeded";

/** A loaded script, ready to be called per record. */
export interface LuaScript {
  lua: Lua;
  L: LuaState;
  convert: Converter;
  /** 5 (tag, ts, group, metadata, record) when the function declares 5 or more, else 3. */
  arity: 3 | 5;
  /** Pushes the function to call. */
  pushFunction(): void;
  /**
   * Calls with `nargs` pushed after the function; "ok", or the error message with
   * `timeout` set when the budget ran out.
   */
  call(
    nargs: number,
    nresults: number,
  ): { ok: true } | { ok: false; message: string; timeout: boolean };
}

/** Loads `options.source` into a fresh state; throws ScriptError naming the key at fault. */
export async function loadScript(options: StateOptions): Promise<LuaScript> {
  const lua = await loadLua();
  const api = lua.lua;
  const L = lua.lauxlib.luaL_newstate();
  lua.openLibs(L);
  // The clock is read at the hook's first check in a call, not at every call: a call that
  // stops before 10,000 instructions cannot loop, and the first check comes at most that
  // many instructions late.
  let inCall = false;
  let deadline = Infinity;
  let timedOut = false;
  const budgetError = lua.toLua(BUDGET_MESSAGE);
  const HOOK_EVERY = 10_000;
  const hook = (state: LuaState) => {
    if (!inCall) return 0;
    const now = performance.now();
    if (deadline === Infinity) deadline = now + budgetMs;
    // Past the deadline the hook runs at every instruction and raises each time, so a
    // script's own pcall cannot swallow the error: the next instruction outside it raises.
    if (now > deadline) {
      if (!timedOut) api.lua_sethook(L, hook, api.LUA_MASKCOUNT, 1);
      timedOut = true;
      return lua.lauxlib.luaL_error(state, budgetError);
    }
    return 0;
  };
  api.lua_sethook(L, hook, api.LUA_MASKCOUNT, HOOK_EVERY);

  const OK = { ok: true as const };
  let budgetMs = options.budgetMs;
  const call = (nargs: number, nresults: number) => {
    timedOut = false;
    inCall = true;
    deadline = Infinity;
    let status: number;
    try {
      status = api.lua_pcall(L, nargs, nresults, 0);
    } catch (e) {
      api.lua_settop(L, 0);
      return { ok: false as const, message: String(e), timeout: false };
    } finally {
      inCall = false;
      if (timedOut) api.lua_sethook(L, hook, api.LUA_MASKCOUNT, HOOK_EVERY);
    }
    if (status === api.LUA_OK) return OK;
    const raw = api.lua_tostring(L, -1);
    const message = raw ? new TextDecoder().decode(raw) : "(error object is not a string)";
    api.lua_settop(L, 0);
    return { ok: false as const, message, timeout: timedOut };
  };

  api.lua_pushcfunction(L, (state) => {
    const t = api.lua_tonumber(state, 1);
    api.lua_pushnumber(state, new Date(t * 1000).getTimezoneOffset() * 60);
    return 1;
  });
  api.lua_setglobal(L, lua.toLua("__sluice_utc_offset"));
  api.lua_pushcfunction(L, (state) => {
    const path = new TextDecoder().decode(api.lua_tostring(state, 1) ?? new Uint8Array());
    try {
      api.lua_pushstring(state, Deno.readFileSync(path));
      return 1;
    } catch (e) {
      api.lua_pushnil(state);
      api.lua_pushstring(state, lua.toLua(`${path}: ${(e as Error).message}`));
      return 2;
    }
  });
  api.lua_setglobal(L, lua.toLua("__sluice_read_file"));
  run(lua, L, PRELUDE, "=prelude", call);
  openBit(lua, L);
  api.lua_createtable(L, 0, 4);
  for (const [k, v] of Object.entries(options.env)) {
    if (v === "") continue;
    api.lua_pushstring(L, lua.toLua(v));
    api.lua_setfield(L, -2, lua.toLua(k));
  }
  api.lua_setglobal(L, lua.toLua("FLB_ENV"));
  const convert = new Converter(lua, L, { flbNull: options.flbNull, types: options.types });
  if (options.flbNull) {
    convert.push(null);
    api.lua_setglobal(L, lua.toLua("flb_null"));
  }

  const sourceKey = options.source.chunkName.startsWith("@") ? "script" : "code";
  const loaded = lua.lauxlib.luaL_loadbuffer(
    L,
    lua.toLua(options.source.code),
    null,
    lua.toLua(options.source.chunkName),
  );
  if (loaded !== api.LUA_OK) {
    const msg = new TextDecoder().decode(api.lua_tostring(L, -1) ?? new Uint8Array());
    throw new ScriptError(sourceKey, `invalid lua content: ${msg}`);
  }
  // The script's top level may load lookup tables: it gets a minute, not call_timeout.
  budgetMs = Math.max(options.budgetMs, SCRIPT_LOAD_MS);
  const top = call(0, 0);
  budgetMs = options.budgetMs;
  if (!top.ok) throw new ScriptError(sourceKey, `invalid lua content: ${top.message}`);

  const name = lua.toLua(options.call);
  if (api.lua_getglobal(L, name) !== api.LUA_TFUNCTION) {
    api.lua_settop(L, 0);
    throw new ScriptError("call", `function ${options.call} is not found`);
  }
  api.lua_setglobal(L, lua.toLua("__sluice_fn"));
  run(lua, L, "return debug.getinfo(__sluice_fn, 'u').nparams", "=arity", call, 1);
  const nparams = api.lua_tonumber(L, -1);
  api.lua_settop(L, 0);
  api.lua_pushnil(L);
  api.lua_setglobal(L, lua.toLua("__sluice_fn"));
  return {
    lua,
    L,
    convert,
    arity: nparams >= 5 ? 5 : 3,
    pushFunction: () => {
      // lua_getglobal, without making the name's Lua string again on every call.
      api.lua_rawgeti(L, api.LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
      convert.pushKey(options.call);
      api.lua_rawget(L, -2);
      api.lua_remove(L, -2);
    },
    call,
  };
}

function run(
  lua: Lua,
  L: LuaState,
  code: string,
  chunkName: string,
  call: LuaScript["call"],
  nresults = 0,
): void {
  if (lua.lauxlib.luaL_loadbuffer(L, lua.toLua(code), null, lua.toLua(chunkName)) !== 0) {
    throw new Error(`Cannot load the lua filter's ${chunkName.slice(1)}`);
  }
  const r = call(0, nresults);
  if (!r.ok) throw new Error(`Cannot run the lua filter's ${chunkName.slice(1)}: ${r.message}`);
}
