/** Fixtures for the lua filter's tests: a filter built from inline code, with its context. */
import { defaultsOf } from "../../../src/config/options.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { type TestFilterContext, testFilterContext } from "../../../src/testing/filter_context.ts";
import { plugin } from "./mod.ts";
import { FAILURES_METRIC } from "./lua.ts";

/** A lua filter for `code` calling `call` (default `cb`), with its test context. */
export interface TestLua {
  process(chunk: Chunk): Chunk | null;
  ctx: TestFilterContext;
  /** `sluice_lua_failures_total` for `reason`. */
  failures(reason: "error" | "timeout" | "bad_return"): number;
}

/** Creates the filter with `options` over its defaults. */
export async function luaFilter(options: Record<string, unknown>): Promise<TestLua> {
  const ctx = testFilterContext({ name: "lua.0" });
  const values = { ...defaultsOf(plugin.options), call: "cb", ...options };
  const inst = await plugin.create(values as Parameters<typeof plugin.create>[0], ctx);
  return {
    process: inst.process!,
    ctx,
    failures: (reason) => ctx.metrics.value(FAILURES_METRIC, { name: "lua.0", reason }),
  };
}

/** The records of a processed chunk (none when it was dropped). */
export function recordsOf(chunk: Chunk | null): LogRecord[] {
  return chunk && chunk.signal === "logs" ? chunk.records : [];
}
