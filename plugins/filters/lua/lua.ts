/**
 * The lua filter's step: calls the script once per log record and applies its return
 * code. A record whose call fails (a script error, the time budget, a wrong return value)
 * passes unchanged, and the failure is counted and logged with the script's line.
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { GROUP_START } from "../../../src/event/log_record.ts";
import { sampleText } from "../../../src/event/sample_text.ts";
import { OptionError, type PluginContext, type TransformInstance } from "../../../src/plugin.ts";
import type { LuaOptions } from "./options.ts";
import { type CallOptions, callRecord, type FailureKind } from "./record_call.ts";
import { scriptSource } from "./script.ts";
import { loadScript, type LuaScript, ScriptError } from "./vm/state.ts";

/** The metric counting records kept because their call failed, by reason. */
export const FAILURES_METRIC = "sluice_lua_failures_total";

/** Distinct failure messages logged per instance before going quiet. */
const LOGGED_FAILURES = 16;

const splitKeys = (v: string | undefined) => (v ?? "").split(/\s+/).filter((k) => k !== "");

/** The lua step for parsed `values`; throws OptionError naming a key the script fails on. */
export async function createLua(
  values: LuaOptions,
  ctx: PluginContext,
): Promise<TransformInstance> {
  const source = await scriptSource(values, ctx.settings.configDir);
  if (!values.protected_mode) {
    ctx.log.warn("protected_mode off is not honoured: sluice always catches script errors");
  }
  if (values.enable_flb_null) ctx.log.info("set flb_null");
  let script: LuaScript;
  try {
    script = await loadScript({
      source,
      call: values.call!,
      flbNull: values.enable_flb_null,
      types: {
        intKeys: splitKeys(values.type_int_key),
        arrayKeys: splitKeys(values.type_array_key),
      },
      env: flbEnv(),
      budgetMs: values.call_timeout * 1000,
    });
  } catch (e) {
    if (e instanceof ScriptError) throw new OptionError(e.key, e.message);
    throw e;
  }
  const failures = ctx.metrics.counter(
    FAILURES_METRIC,
    "Records the lua filter kept unchanged because the script failed on them.",
  );
  for (const reason of ["error", "timeout", "bad_return"]) {
    failures.touch({ name: ctx.name, reason });
  }
  const logged = new Set<string>();
  const report = (failure: FailureKind, message: string, sample: RecordMap) => {
    failures.inc({ name: ctx.name, reason: failure });
    const key = `${failure}:${message}`;
    if (logged.has(key) || logged.size > LOGGED_FAILURES) return;
    logged.add(key);
    const what = failure === "timeout"
      ? `call to ${values.call}() ran past call_timeout (${values.call_timeout}s) and was aborted`
      : failure === "error"
      ? `error in ${values.call}(): ${message}`
      : message;
    const more = logged.size > LOGGED_FAILURES ? " (no more distinct failures will be logged)" : "";
    ctx.log.error(`${what}; the record is kept unchanged: ${sampleText(sample)}${more}`);
  };
  const options: CallOptions = { timeAsTable: values.time_as_table, call: values.call! };
  return { process: (chunk) => luaChunk(chunk, { script, options, report, log: ctx.log }) };
}

interface ChunkDeps {
  script: LuaScript;
  options: CallOptions;
  report(failure: FailureKind, message: string, sample: RecordMap): void;
  log: PluginContext["log"];
}

function luaChunk(chunk: Chunk, deps: ChunkDeps): Chunk | null {
  if (chunk.signal !== "logs") return chunk;
  const out: LogRecord[] = [];
  let changed = false;
  let group: RecordMap = {};
  let groupAt = -1;
  let groupHasRecords = false;
  for (const r of chunk.records) {
    if (isGroupMarker(r)) {
      if (r.time.sec === GROUP_START.sec) {
        group = r.body;
        groupAt = out.length;
        groupHasRecords = false;
        out.push(r);
      } else if (groupAt >= 0 && !groupHasRecords) {
        out.length = groupAt;
        groupAt = -1;
        changed = true;
      } else {
        out.push(r);
        groupAt = -1;
      }
      continue;
    }
    const outcome = callRecord(deps.script, r, { tag: chunk.tag, group, options: deps.options });
    switch (outcome.kind) {
      case "drop":
        changed = true;
        continue;
      case "keep":
        out.push(r);
        break;
      case "replace":
        if (outcome.warning) deps.log.once("error", "lua:time", outcome.warning);
        out.push(...outcome.records);
        changed = true;
        break;
      case "failed":
        deps.report(outcome.failure, outcome.message, r.body);
        out.push(r);
        break;
    }
    groupHasRecords = true;
  }
  if (!changed) return chunk;
  return out.length === 0 ? null : withRecords(chunk, out);
}

function flbEnv(): Record<string, string> {
  try {
    return { HOSTNAME: Deno.env.get("HOSTNAME") ?? Deno.hostname() };
  } catch {
    return {};
  }
}
