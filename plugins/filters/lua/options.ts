/** The lua filter's option table: Fluent Bit's `filter_lua` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

/** Every key of Fluent Bit's lua filter (besides the common filter keys), and one of sluice's. */
export const luaOptions = {
  script: opt.string(
    undefined,
    "Path of the Lua script; a relative path not found from the working directory is tried " +
      "next to the config file",
  ),
  code: opt.string(undefined, "Inline Lua source (wins over script), loaded as fluentbit.lua"),
  call: opt.string(
    undefined,
    "Global Lua function called per record: fn(tag, ts, record) returning code, ts, record " +
      "(or fn(tag, ts, group, metadata, record) returning code, ts, metadata, record)",
    { required: true },
  ),
  protected_mode: opt.bool(
    true,
    "Catch script errors (always on in sluice: an error keeps the record, is logged with its " +
      "line and counted)",
  ),
  time_as_table: opt.bool(
    false,
    "Pass and expect the timestamp as a table {sec=..., nsec=...} instead of a float",
  ),
  type_int_key: opt.string(
    undefined,
    "Space-separated keys whose returned numbers are written as integers (truncated)",
  ),
  type_array_key: opt.string(
    undefined,
    "Space-separated keys whose returned tables are written as arrays (an empty table as [])",
  ),
  enable_flb_null: opt.bool(
    false,
    "Pass null values as the global flb_null instead of nil, so null keys survive",
  ),
  call_timeout: opt.duration(
    1,
    "sluice only: how long one call may run; a call past it is aborted, its record kept " +
      "and counted",
    { check: (v) => v > 0 ? undefined : "must be more than 0" },
  ),
} satisfies OptionTable;

/** Parsed lua filter options. */
export type LuaOptions = OptionValues<typeof luaOptions>;
