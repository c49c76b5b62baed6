/**
 * LuaJIT's `bit` library (bit.tobit, band, bor, bxor, bnot, lshift, rshift, arshift, rol,
 * ror, bswap, tohex) in JavaScript: operands and results are signed 32-bit integers, which
 * JavaScript's own bit operators give.
 */
import type { Lua, LuaState } from "./fengari.ts";

type Op = (args: number[]) => number | string;

const fold = (f: (a: number, b: number) => number): Op => (args) =>
  args.slice(1).reduce((a, b) => f(a, b | 0), (args[0] ?? 0) | 0);

const OPS: Record<string, Op> = {
  tobit: ([a = 0]) => a | 0,
  band: fold((a, b) => a & b),
  bor: fold((a, b) => a | b),
  bxor: fold((a, b) => a ^ b),
  bnot: ([a = 0]) => ~a,
  lshift: ([a = 0, n = 0]) => a << n,
  rshift: ([a = 0, n = 0]) => (a >>> n) | 0,
  arshift: ([a = 0, n = 0]) => a >> n,
  rol: ([a = 0, n = 0]) => (a << n) | (a >>> (32 - (n & 31))),
  ror: ([a = 0, n = 0]) => (a >>> n) | (a << (32 - (n & 31))),
  bswap: ([a = 0]) =>
    ((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | ((a >>> 24) & 0xff),
  tohex: ([a = 0, n = 8]) => {
    const digits = Math.min(8, Math.abs(n | 0) || 8);
    const hex = (a >>> 0).toString(16).padStart(8, "0").slice(8 - digits);
    return n < 0 ? hex.toUpperCase() : hex;
  },
};

/** Sets the global `bit` table in state `L`. */
export function openBit(lua: Lua, L: LuaState): void {
  const api = lua.lua;
  api.lua_createtable(L, 0, Object.keys(OPS).length);
  for (const [name, op] of Object.entries(OPS)) {
    api.lua_pushcfunction(L, (state) => {
      const args: number[] = [];
      for (let i = 1; i <= api.lua_gettop(state); i++) args.push(api.lua_tonumber(state, i));
      const r = op(args);
      if (typeof r === "string") api.lua_pushstring(state, lua.toLua(r));
      else api.lua_pushnumber(state, r);
      return 1;
    });
    api.lua_setfield(L, -2, lua.toLua(name));
  }
  api.lua_setglobal(L, lua.toLua("bit"));
}
