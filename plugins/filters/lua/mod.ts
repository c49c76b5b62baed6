/**
 * The `lua` filter: runs a Fluent Bit Lua script's function on every log record. Also a
 * logs processor. The Lua engine (fengari, adjusted to LuaJIT's number semantics) is loaded
 * when the first lua instance is created, so a config without one pays nothing for it.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { createLua } from "./lua.ts";
import { luaOptions } from "./options.ts";

/** The lua filter plugin. */
export const plugin = defineFilter({
  name: "lua",
  description: "Run a Lua function on every record (Fluent Bit's scripts, LuaJIT semantics)",
  options: luaOptions,
  example: {
    options: {
      call: "cb_tag",
      code: 'function cb_tag(tag, ts, record) record["tag"] = tag return 2, ts, record end',
    },
    samples: { logs: [{ log: "one" }, { log: "two", n: 2 }] },
  },
  create: (values, ctx) => createLua(values, ctx),
});
