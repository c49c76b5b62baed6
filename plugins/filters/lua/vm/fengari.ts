/**
 * Loads fengari (Lua 5.3 in plain JavaScript) on first use and adjusts it to behave like
 * Fluent Bit's LuaJIT (Lua 5.1): every number is a double (no integer subtype, so no
 * 32-bit wrap-around), integral floats print without `.0`, and a float passed where an
 * integer is wanted is truncated instead of refused. Loading lazily keeps sluice's start-up
 * cost unchanged when no lua plugin is configured.
 */

/** A Lua state (opaque). */
export type LuaState = { readonly __luaState: unique symbol };
/** A Lua string: bytes. */
export type LuaString = Uint8Array;
/** A function Lua can call. */
export type LuaCFunction = (L: LuaState) => number;

/** The part of fengari's C API the lua plugin uses. */
export interface LuaApi {
  LUA_TNIL: number;
  LUA_TBOOLEAN: number;
  LUA_TLIGHTUSERDATA: number;
  LUA_TNUMBER: number;
  LUA_TSTRING: number;
  LUA_TTABLE: number;
  LUA_TFUNCTION: number;
  LUA_OK: number;
  LUA_MASKCOUNT: number;
  LUA_REGISTRYINDEX: number;
  lua_absindex(L: LuaState, i: number): number;
  lua_gettop(L: LuaState): number;
  lua_settop(L: LuaState, i: number): void;
  lua_pop(L: LuaState, n: number): void;
  lua_pushvalue(L: LuaState, i: number): void;
  lua_insert(L: LuaState, i: number): void;
  lua_remove(L: LuaState, i: number): void;
  lua_type(L: LuaState, i: number): number;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushinteger(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean): void;
  lua_pushstring(L: LuaState, s: LuaString): void;
  lua_pushlightuserdata(L: LuaState, p: unknown): void;
  lua_pushcfunction(L: LuaState, f: LuaCFunction): void;
  lua_tonumber(L: LuaState, i: number): number;
  lua_tointeger(L: LuaState, i: number): number;
  lua_toboolean(L: LuaState, i: number): boolean;
  lua_tostring(L: LuaState, i: number): LuaString | null;
  lua_touserdata(L: LuaState, i: number): unknown;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_setfield(L: LuaState, i: number, k: LuaString): void;
  lua_getfield(L: LuaState, i: number, k: LuaString): number;
  lua_rawseti(L: LuaState, i: number, n: number): void;
  lua_rawset(L: LuaState, i: number): void;
  lua_rawget(L: LuaState, i: number): number;
  lua_checkstack(L: LuaState, n: number): boolean;
  lua_rawgeti(L: LuaState, i: number, n: number): number;
  lua_rawlen(L: LuaState, i: number): number;
  lua_next(L: LuaState, i: number): number;
  lua_setmetatable(L: LuaState, i: number): void;
  lua_getmetatable(L: LuaState, i: number): number;
  lua_getglobal(L: LuaState, name: LuaString): number;
  lua_setglobal(L: LuaState, name: LuaString): void;
  lua_pcall(L: LuaState, nargs: number, nresults: number, errfunc: number): number;
  lua_sethook(L: LuaState, f: LuaCFunction | null, mask: number, count: number): void;
  lua_getinfo(L: LuaState, what: LuaString, ar: unknown): number;
}

/** The auxiliary library functions used. */
export interface LauxApi {
  luaL_newstate(): LuaState;
  luaL_loadbuffer(L: LuaState, buff: LuaString, size: number | null, name: LuaString): number;
  luaL_ref(L: LuaState, t: number): number;
  luaL_error(L: LuaState, msg: LuaString): number;
}

/** What {@link loadLua} gives: the API and string helpers. */
export interface Lua {
  lua: LuaApi;
  lauxlib: LauxApi;
  openLibs(L: LuaState): void;
  /** A JS string as Lua bytes (UTF-8). */
  toLua(s: string): LuaString;
  /** A Lua string object for `bytes` (which it takes over), to push many times. */
  newString(bytes: LuaString): LuaStringObject;
  /** Pushes a string object without copying it. */
  pushString(L: LuaState, s: LuaStringObject): void;
}

/** A Lua string value (fengari's TString; immutable, so it may be pushed many times). */
export type LuaStringObject = { readonly __luaString: unique symbol };

interface FengariModule {
  lua: LuaApi;
  lauxlib: LauxApi;
  lualib: { luaL_openlibs(L: LuaState): void };
  to_luastring(s: string): LuaString;
}
interface TValueLike {
  type: number;
  value: unknown;
}
interface LobjectModule {
  pushsvalue2s(L: LuaState, ts: LuaStringObject): void;
}
interface LstringModule {
  luaS_bless(L: LuaState | null, s: LuaString): LuaStringObject;
}
interface LuaconfModule {
  LUA_COMPAT_FLOATSTRING: boolean;
  lua_number2str(n: number): string;
}
interface LvmModule {
  tointeger(o: TValueLike): number | false;
}

let loading: Promise<Lua> | undefined;

/** fengari, loaded and adjusted once per process. */
export function loadLua(): Promise<Lua> {
  loading ??= load();
  return loading;
}

const NUMBER_TAG = 3;

async function load(): Promise<Lua> {
  // lobject takes its number formatting from luaconf when it loads: set it first (defs
  // first, which loads luaconf in the order fengari itself does). LUA_COMPAT_FLOATSTRING
  // keeps integral floats as "3", not "3.0", and the text is C's %.14g as in LuaJIT.
  await import("fengari/src/defs.js");
  const luaconf = (await import("fengari/src/luaconf.js")).default as LuaconfModule;
  luaconf.LUA_COMPAT_FLOATSTRING = true;
  luaconf.lua_number2str = formatNumber;
  const f = (await import("fengari")).default as FengariModule;
  const lvm = (await import("fengari/src/lvm.js")).default as LvmModule;
  const lobject = (await import("fengari/src/lobject.js")).default as LobjectModule;
  const lstring = (await import("fengari/src/lstring.js")).default as LstringModule;
  patchNumbers(f, lvm);
  const encoder = new TextEncoder();
  return {
    lua: f.lua,
    lauxlib: f.lauxlib,
    openLibs: (L) => f.lualib.luaL_openlibs(L),
    toLua: (s) => s.length < 32 ? asciiBytes(s) ?? encoder.encode(s) : encoder.encode(s),
    newString: (bytes) => lstring.luaS_bless(null, bytes),
    pushString: (L, ts) => lobject.pushsvalue2s(L, ts),
  };
}

/** The bytes of `s` when it is all ASCII, else undefined. */
function asciiBytes(s: string): Uint8Array | undefined {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return undefined;
    out[i] = c;
  }
  return out;
}

/** Makes fengari's numbers LuaJIT's: doubles only, 5.1 formatting, truncating conversions. */
function patchNumbers(f: FengariModule, lvm: LvmModule): void {
  const L = f.lauxlib.luaL_newstate();
  f.lua.lua_pushnumber(L, 0);
  const stack = (L as unknown as { stack: TValueLike[] }).stack;
  const proto = Object.getPrototypeOf(stack[1]) as Record<string, unknown>;
  // No value is ever an integer: integer-tagged values (literals, library results) take the
  // float paths, whose results are doubles as in LuaJIT.
  proto.ttisinteger = () => false;
  proto.ttisfloat = function (this: TValueLike) {
    return (this.type & 0x0f) === NUMBER_TAG;
  };
  const exact = lvm.tointeger;
  lvm.tointeger = (o) => {
    const n = exact(o);
    if (n !== false || (o.type & 0x0f) !== NUMBER_TAG) return n;
    const v = o.value as number;
    return Number.isFinite(v) ? Math.trunc(v) : false;
  };
}

/**
 * A number as LuaJIT's `tostring` writes it (C's `%.14g`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../../src/testing/assert.ts";
 *
 * assertEquals([formatNumber(5), formatNumber(2.5), formatNumber(2 ** 53)], [
 *   "5",
 *   "2.5",
 *   "9.007199254741e+15",
 * ]);
 * ```
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mant, e] = n.toExponential(13).split("e") as [string, string];
  const exp = Number(e);
  const strip = (t: string) => t.includes(".") ? t.replace(/\.?0+$/, "") : t;
  if (exp < -4 || exp >= 14) {
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return strip(n.toFixed(13 - exp));
}
