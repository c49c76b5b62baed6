/**
 * One call of the script's function for one record, and what its return values mean:
 * Fluent Bit's codes -1 (drop), 0 (keep), 1 (replace record and time), 2 (replace the
 * record, keep the time); a returned array of maps splits into several records.
 */
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { LuaScript } from "./vm/state.ts";

/** Why a record was kept unchanged against the script's wish. */
export type FailureKind = "error" | "timeout" | "bad_return";

/** What a call decided for its record. */
export type CallOutcome =
  | { kind: "drop" }
  | { kind: "keep" }
  | { kind: "replace"; records: LogRecord[]; warning?: string }
  | { kind: "failed"; failure: FailureKind; message: string };

/** How the script is called. */
export interface CallOptions {
  timeAsTable: boolean;
  /** The function's name, for messages. */
  call: string;
}

const isMap = (v: unknown): v is RecordMap =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Calls the script for `record` of `tag`; `group` is the enclosing group's attributes. */
export function callRecord(
  s: LuaScript,
  r: LogRecord,
  { tag, group, options }: { tag: string; group: RecordMap; options: CallOptions },
): CallOutcome {
  const api = s.lua.lua;
  const L = s.L;
  s.pushFunction();
  s.convert.pushKey(tag);
  if (options.timeAsTable) s.convert.pushTimeTable(r.time.sec, r.time.nsec);
  else api.lua_pushnumber(L, r.time.sec + r.time.nsec / 1e9);
  if (s.arity === 5) {
    s.convert.pushMap(group);
    s.convert.pushMap(r.metadata);
  }
  s.convert.pushMap(r.body);
  const nresults = s.arity === 5 ? 4 : 3;
  const done = s.call(s.arity, nresults);
  if (!done.ok) {
    return { kind: "failed", failure: done.timeout ? "timeout" : "error", message: done.message };
  }
  try {
    return readReturns(s, r, { nresults, options });
  } finally {
    api.lua_settop(L, 0);
  }
}

function readReturns(
  s: LuaScript,
  r: LogRecord,
  { nresults, options }: { nresults: number; options: CallOptions },
): CallOutcome {
  const api = s.lua.lua;
  const L = s.L;
  const bad = (message: string): CallOutcome => ({
    kind: "failed",
    failure: "bad_return",
    message,
  });
  // Stack: code, ts, [metadata,] record.
  if (api.lua_type(L, 1) !== api.LUA_TNUMBER) {
    return bad(
      `${options.call}() returned a ${typeName(s, 1)} as its code, expected -1, 0, 1 or 2`,
    );
  }
  const code = Math.trunc(api.lua_tonumber(L, 1));
  if (code === -1) return { kind: "drop" };
  if (code === 0) return { kind: "keep" };
  if (code !== 1 && code !== 2) {
    return bad(`unexpected Lua script return code ${code}, original record will be kept`);
  }
  let time = r.time;
  let warning: string | undefined;
  if (code === 1) {
    const t = returnedTime(s, options.timeAsTable);
    // As Fluent Bit: a bad table time keeps the record's time; a bad number keeps the record.
    if (typeof t === "string" && !options.timeAsTable) return bad(t);
    if (typeof t === "string") warning = t;
    else time = t;
  }
  let metadata: unknown = r.metadata;
  if (nresults === 4 && api.lua_type(L, 3) === api.LUA_TTABLE) metadata = s.convert.read(3);
  const body = s.convert.read(nresults);
  if (isMap(body)) {
    const records = [{ time, metadata: isMap(metadata) ? metadata : {}, body }];
    return { kind: "replace", records, warning };
  }
  if (!Array.isArray(body) || !body.every(isMap)) {
    return bad(
      `invalid table returned at ${options.call}(): expected a table of a record or records`,
    );
  }
  const metas = Array.isArray(metadata) && metadata.length === body.length ? metadata : undefined;
  const records = body.map((b, i) => {
    const m = metas ? metas[i] : metadata;
    return { time, metadata: isMap(m) ? m : {}, body: b };
  });
  return { kind: "replace", records, warning };
}

/** The time returned for code 1, or a message saying why it cannot be used. */
function returnedTime(s: LuaScript, asTable: boolean): EventTime | string {
  const api = s.lua.lua;
  const L = s.L;
  if (asTable) {
    if (api.lua_type(L, 2) !== api.LUA_TTABLE) return "invalid lua timestamp type returned";
    api.lua_getfield(L, 2, s.convert.key("sec"));
    const sec = Math.trunc(api.lua_tonumber(L, -1) || 0);
    api.lua_getfield(L, 2, s.convert.key("nsec"));
    const nsec = Math.trunc(api.lua_tonumber(L, -1) || 0);
    api.lua_pop(L, 2);
    return normalized(sec, nsec);
  }
  if (api.lua_type(L, 2) !== api.LUA_TNUMBER) {
    return `invalid lua timestamp type returned: ${typeName(s, 2)}, expected a number`;
  }
  // Fluent Bit's flb_time_from_double truncates both parts.
  const d = api.lua_tonumber(L, 2);
  const sec = Math.trunc(d);
  return normalized(sec, Math.trunc((d - sec) * 1e9));
}

/** The time `sec` + `nsec`, or a message when it is not one a record can carry. */
function normalized(sec: number, nsec: number): EventTime | string {
  const carry = Math.floor(nsec / 1e9);
  const s = sec + carry;
  if (!Number.isFinite(s) || s < 0 || s >= 2 ** 32) {
    return `invalid lua timestamp returned: ${sec}.${nsec} is outside 1970..2106`;
  }
  return new EventTime(s, nsec - carry * 1e9);
}

function typeName(s: LuaScript, index: number): string {
  const api = s.lua.lua;
  const names: Record<number, string> = {
    [api.LUA_TNIL]: "nil",
    [api.LUA_TBOOLEAN]: "boolean",
    [api.LUA_TNUMBER]: "number",
    [api.LUA_TSTRING]: "string",
    [api.LUA_TTABLE]: "table",
    [api.LUA_TFUNCTION]: "function",
  };
  return names[api.lua_type(s.L, index)] ?? "userdata";
}
