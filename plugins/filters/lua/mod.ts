/**
 * The `lua` filter: runs a Fluent Bit Lua script's function on every log record. Also a
 * logs processor. The Lua engine (fengari, adjusted to LuaJIT's number semantics) is loaded
 * when the first lua instance is created, so a config without one pays nothing for it.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { luaOptions } from "./options.ts";

const NOTES = `
Lua engine: fengari (Lua 5.3 in JavaScript), adjusted to behave like Fluent Bit's LuaJIT (5.1):
  - every number is a double, as in LuaJIT: 2147483647 + 1 is 2147483648, never wraps;
    math.type() says "float"; 10 / 2 prints "5" and 2^53 "9.007199254741e+15" (C's %.14g)
  - a float where an integer is wanted is truncated (string.format("%d", 3.7) is "3",
    os.date(fmt, ts) takes a float ts), as LuaJIT does
  - Lua 5.1 names are there: unpack, loadstring, table.getn, table.maxn, math.pow, math.mod,
    math.log10, math.ldexp, string.gfind, and LuaJIT's bit library (bit.band, bor, bxor,
    bnot, lshift, rshift, arshift, rol, ror, bswap, tobit, tohex); os.date("!...") is UTC
  - Lua 5.3 syntax LuaJIT rejects (//, goto) is accepted; the 5.3 bitwise operators
    (&, |, ~, <<, >>) raise an error on numbers that are not constants: use bit.*
  - io.open and io.lines read files (lookup tables); writing files, io.read (stdin), os.exit
    (an error), setfenv/getfenv and LuaJIT's ffi and jit modules are not there; FLB_ENV
    holds HOSTNAME only, not the config's env section
  - strings are bytes as in Lua; record strings go in as UTF-8, and bytes that are not UTF-8
    come out as U+FFFD
Records: converted as Fluent Bit does (maps and arrays keep their kind, even empty; a new table
is an array when its keys are 1..n; integral numbers are written as integers; null is dropped
unless enable_flb_null). Key order follows the script's insertion order.
Where sluice differs on purpose:
  - a failing call (a Lua error, call_timeout, a wrong return value) keeps that one record
    unchanged, not the whole chunk; it is counted in sluice_lua_failures_total{reason=error|
    timeout|bad_return} and logged with the script's line (up to 16 distinct messages)
  - protected_mode off still catches errors (Fluent Bit would abort the process)
  - a call is aborted after call_timeout (default 1s) instead of hanging the pipeline (the
    script's top level, run once at start, may take a minute); a loop inside one library
    function (a huge string.rep) is not interrupted
  - a code that is not a number, or code 1 with a ts that is not a number, keeps the record
    (Fluent Bit treats them as 0 and as time 0)
Works as a filter and as a logs processor (processors.logs of an input or output).`;

/** The lua filter plugin. */
export const plugin = defineFilter({
  name: "lua",
  description: "Run a Lua function on every record (Fluent Bit's scripts, LuaJIT semantics)",
  options: luaOptions,
  notes: NOTES,
  example: {
    options: {
      call: "cb_tag",
      code: 'function cb_tag(tag, ts, record) record["tag"] = tag return 2, ts, record end',
    },
    samples: { logs: [{ log: "one" }, { log: "two", n: 2 }] },
  },
  create: async (values, ctx) => (await import("./lua.ts")).createLua(values, ctx),
});
