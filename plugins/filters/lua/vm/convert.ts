/**
 * Values between records and Lua, converted as Fluent Bit's `flb_lua.c` does: maps and
 * arrays become tables tagged with a metatable `{type = 2}` / `{type = 1}` so they keep
 * their kind on the way back; a new table is an array when its keys are 1..n, else a map
 * (an empty `{}` is a map); integral numbers come back as integers; `type_int_key` and
 * `type_array_key` force a key's value to an integer or an array.
 */
import type { Lua, LuaState, LuaString } from "./fengari.ts";
import { putKey } from "../../../../src/event/record_accessor.ts";
import { LuaStrings } from "./strings.ts";

/** Fluent Bit's `FLB_LUA_L2C_TYPE_ARRAY` and `_MAP`, the `type` of the kind metatables. */
export const ARRAY_KIND = 1;
/** See {@link ARRAY_KIND}. */
export const MAP_KIND = 2;

/** Keys whose values are forced to a type when a map is read back (`type_*_key`). */
export interface KeyTypes {
  intKeys: readonly string[];
  arrayKeys: readonly string[];
}

/** The sentinel pushed as `flb_null` (a light userdata) when `enable_flb_null` is on. */
export const FLB_NULL: unique symbol = Symbol("flb_null");

/** Converts values into and out of one Lua state. */
export class Converter {
  readonly #lua: Lua;
  readonly #L: LuaState;
  readonly #flbNull: boolean;
  readonly #types: KeyTypes;
  readonly #arrayMeta: number;
  readonly #mapMeta: number;
  readonly #keys = new Map<string, LuaString>();
  readonly #strings: LuaStrings;
  readonly #typeKey: LuaString;

  /** A converter for state `L`; creates the two kind metatables in its registry. */
  constructor(lua: Lua, L: LuaState, options: { flbNull: boolean; types: KeyTypes }) {
    this.#lua = lua;
    this.#L = L;
    this.#flbNull = options.flbNull;
    this.#types = options.types;
    this.#typeKey = lua.toLua("type");
    this.#strings = new LuaStrings(lua, L);
    this.#arrayMeta = this.#kindTable(ARRAY_KIND);
    this.#mapMeta = this.#kindTable(MAP_KIND);
  }

  #kindTable(kind: number): number {
    const { lua } = this.#lua;
    lua.lua_createtable(this.#L, 0, 1);
    lua.lua_pushnumber(this.#L, kind);
    lua.lua_setfield(this.#L, -2, this.#typeKey);
    return this.#lua.lauxlib.luaL_ref(this.#L, lua.LUA_REGISTRYINDEX);
  }

  /** A record key as Lua bytes, cached (keys repeat from record to record). */
  key(k: string): LuaString {
    let b = this.#keys.get(k);
    if (!b) {
      b = this.#lua.toLua(k);
      if (this.#keys.size < 4096) this.#keys.set(k, b);
    }
    return b;
  }

  /** Pushes a record key (cached: keys repeat from record to record). */
  pushKey(k: string): void {
    this.#strings.pushKey(k);
  }

  /** Pushes `v`; null pushes `flb_null` or nil, as `enable_flb_null` says. */
  push(v: unknown): void {
    const { lua } = this.#lua;
    const L = this.#L;
    switch (typeof v) {
      case "string":
        return this.#strings.pushValue(v);
      case "number":
        lua.lua_pushnumber(L, v);
        return;
      case "bigint":
        lua.lua_pushnumber(L, Number(v));
        return;
      case "boolean":
        lua.lua_pushboolean(L, v);
        return;
      case "object":
        if (v === null) break;
        if (v instanceof Uint8Array) return lua.lua_pushstring(L, v);
        if (Array.isArray(v)) return this.#pushArray(v);
        return this.pushMap(v as Record<string, unknown>);
    }
    if (this.#flbNull) lua.lua_pushlightuserdata(L, FLB_NULL);
    else lua.lua_pushnil(L);
  }

  #pushArray(a: readonly unknown[]): void {
    const { lua } = this.#lua;
    const L = this.#L;
    lua.lua_createtable(L, a.length, 0);
    lua.lua_checkstack(L, 3);
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (x === null || x === undefined) {
        if (!this.#flbNull) continue;
      }
      this.push(x);
      lua.lua_rawseti(L, -2, i + 1);
    }
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.#arrayMeta);
    lua.lua_setmetatable(L, -2);
  }

  /** Pushes a map as a table tagged as a map. */
  pushMap(m: Record<string, unknown>): void {
    const { lua } = this.#lua;
    const L = this.#L;
    lua.lua_createtable(L, 0, 8);
    lua.lua_checkstack(L, 4);
    for (const k in m) {
      const x = m[k];
      if ((x === null || x === undefined) && !this.#flbNull) continue;
      this.pushKey(k);
      this.push(x);
      lua.lua_rawset(L, -3);
    }
    lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, this.#mapMeta);
    lua.lua_setmetatable(L, -2);
  }

  /** Pushes a time table `{sec = s, nsec = ns}`. */
  pushTimeTable(sec: number, nsec: number): void {
    const { lua } = this.#lua;
    lua.lua_createtable(this.#L, 0, 2);
    lua.lua_pushnumber(this.#L, sec);
    lua.lua_setfield(this.#L, -2, this.key("sec"));
    lua.lua_pushnumber(this.#L, nsec);
    lua.lua_setfield(this.#L, -2, this.key("nsec"));
  }

  /**
   * The value at `index` as a record value; `undefined` for what cannot be written
   * (functions, userdata, threads), which drops that key.
   */
  read(index: number): unknown {
    const { lua } = this.#lua;
    const L = this.#L;
    const t = lua.lua_type(L, index);
    if (t === lua.LUA_TSTRING) {
      const bytes = lua.lua_tostring(L, index)!;
      return this.#strings.valueText(bytes);
    }
    if (t === lua.LUA_TNUMBER) return lua.lua_tonumber(L, index);
    if (t === lua.LUA_TBOOLEAN) return lua.lua_toboolean(L, index);
    if (t === lua.LUA_TNIL) return null;
    if (t === lua.LUA_TTABLE) return this.#readTable(lua.lua_absindex(L, index));
    if (t === lua.LUA_TLIGHTUSERDATA && lua.lua_touserdata(L, index) === FLB_NULL) return null;
    return undefined;
  }

  /** The kind a table's metatable tags it with, or undefined. */
  #kind(index: number): number | undefined {
    const { lua } = this.#lua;
    const L = this.#L;
    if (!lua.lua_getmetatable(L, index)) return undefined;
    this.pushKey("type");
    const kind = lua.lua_rawget(L, -2) === lua.LUA_TNUMBER ? lua.lua_tonumber(L, -1) : undefined;
    lua.lua_pop(L, 2);
    return kind;
  }

  #readTable(index: number): unknown {
    const kind = this.#kind(index);
    if (kind === ARRAY_KIND) {
      return this.#readArray(index, this.#lua.lua.lua_rawlen(this.#L, index));
    }
    if (kind !== undefined && kind >= 0) return this.#readMap(index);
    const n = this.#arrayLength(index);
    return n > 0 ? this.#readArray(index, n) : this.#readMap(index);
  }

  /**
   * Fluent Bit's `flb_lua_arraylength`: `table.maxn` when positive, else n when the keys
   * are exactly 1..n, else -1 (a map). A table with both 1..n and string keys is an array.
   */
  #arrayLength(index: number): number {
    const { lua } = this.#lua;
    const L = this.#L;
    let maxn = 0;
    let max = 0;
    let count = 0;
    let onlyPositive = true;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, index)) {
      if (lua.lua_type(L, -2) === lua.LUA_TNUMBER) {
        const n = lua.lua_tonumber(L, -2);
        if (n > maxn) maxn = n;
        if (n > 0) {
          max = Math.max(max, Math.trunc(n));
          count++;
        } else onlyPositive = false;
      } else onlyPositive = false;
      lua.lua_pop(L, 1);
    }
    if (maxn > 0 && Number.isInteger(maxn)) return maxn;
    return onlyPositive && max === count ? max : -1;
  }

  #readArray(index: number, n: number): unknown[] {
    const { lua } = this.#lua;
    const L = this.#L;
    const out: unknown[] = [];
    for (let i = 1; i <= n; i++) {
      lua.lua_rawgeti(L, index, i);
      const v = this.read(-1);
      lua.lua_pop(L, 1);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  #readMap(index: number): Record<string, unknown> {
    const { lua } = this.#lua;
    const L = this.#L;
    const out: Record<string, unknown> = {};
    const typed = this.#types.intKeys.length + this.#types.arrayKeys.length > 0;
    lua.lua_pushnil(L);
    while (lua.lua_next(L, index)) {
      const kt = lua.lua_type(L, -2);
      let key: string | undefined;
      if (kt === lua.LUA_TSTRING) {
        const bytes = lua.lua_tostring(L, -2)!;
        key = this.#strings.keyText(bytes);
      } else if (kt === lua.LUA_TNUMBER) key = String(lua.lua_tonumber(L, -2));
      else if (kt === lua.LUA_TBOOLEAN) key = String(lua.lua_toboolean(L, -2));
      if (key !== undefined) {
        const v = typed && kt === lua.LUA_TSTRING ? this.#readTyped(key) : this.read(-1);
        if (v !== undefined) putKey(out, key, v); // else not writable: the key is left out
      }
      lua.lua_pop(L, 1);
    }
    return out;
  }

  /** The value on top under `key`, with `type_int_key` / `type_array_key` applied. */
  #readTyped(key: string): unknown {
    const { lua } = this.#lua;
    const L = this.#L;
    const t = lua.lua_type(L, -1);
    if (t === lua.LUA_TNUMBER && prefixOfAny(key, this.#types.intKeys)) {
      return Math.trunc(lua.lua_tonumber(L, -1));
    }
    if (t === lua.LUA_TTABLE && prefixOfAny(key, this.#types.arrayKeys)) {
      const index = lua.lua_absindex(L, -1);
      return this.#readArray(index, lua.lua_rawlen(L, index));
    }
    return this.read(-1);
  }
}

/** Fluent Bit compares with the record key's length: a key that is a prefix matches. */
function prefixOfAny(key: string, keys: readonly string[]): boolean {
  for (const k of keys) if (k.startsWith(key)) return true;
  return false;
}
