/**
 * Helpers for the tail input's tests: start an input on real files with a test context,
 * pull its chunks with a deadline, and acknowledge them (or not).
 */
import { defaultsOf } from "../../../src/config/options.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { buildMultilineRegistry } from "../../../src/multiline/mod.ts";
import { buildParserRegistry } from "../../../src/parsers/mod.ts";
import { type TestInputContext, testInputContext } from "../../../src/testing/input_context.ts";
import { until, within } from "../../../src/testing/until.ts";
import { errorMessage } from "../../../src/error_message.ts";
import { type TailOptions, tailOptions } from "./options.ts";
import { tailSettings } from "./settings.ts";
import { TailInput } from "./tail.ts";

/** A running input under test. */
export interface Harness {
  input: TailInput;
  ctx: TestInputContext;
  /** The next chunk, or an error after `ms`. */
  next(ms?: number): Promise<Chunk>;
  /** Pulls (and acknowledges, unless `ack` is false) until `lines` holds `until` lines. */
  lines(until: number, options?: { ms?: number; ack?: boolean }): Promise<string[]>;
  /** Every line pulled so far, in order. */
  seen: string[];
  /** Every chunk pulled so far. */
  chunks: Chunk[];
  /** Pulls (and acknowledges) until the input ends by itself (exit_on_eof), then closes. */
  drain(ms?: number): Promise<string[]>;
  /** Aborts, drains what is left (acknowledging it unless `ack` is false), closes. */
  stop(options?: { ack?: boolean }): Promise<Chunk[]>;
}

/** Fast timings for tests; override any key. */
export function tailTestOptions(overrides: Partial<TailOptions>): TailOptions {
  return {
    ...defaultsOf(tailOptions),
    refresh_interval: 0.2,
    progress_check_interval: 0.1,
    rotate_wait: 0.3,
    ...overrides,
  };
}

/** The text of a record: its `log` field, or the whole body as JSON. */
export function lineOf(body: Record<string, unknown>): string {
  return typeof body.log === "string" && Object.keys(body).length === 1
    ? body.log
    : JSON.stringify(body);
}

/** Starts a tail input on `overrides` (path required) with a test context. */
export function startTail(
  overrides: Partial<TailOptions>,
  ctxOverrides: Partial<TestInputContext> = {},
): Harness {
  const ctx = testInputContext({
    name: "tail.0",
    tag: "t",
    parsers: buildParserRegistry([]),
    multiline: buildMultilineRegistry([]),
    ...ctxOverrides,
  });
  const input = new TailInput(tailSettings(tailTestOptions(overrides), ctx), ctx);
  const it = input.chunks[Symbol.asyncIterator]();
  const seen: string[] = [];
  const chunks: Chunk[] = [];
  async function next(ms = 5000): Promise<Chunk> {
    const r = await within(it.next(), "the next chunk", { timeout: ms });
    if (r.done) throw new Error("input ended");
    chunks.push(r.value);
    for (const rec of (r.value as LogChunk).records) seen.push(lineOf(rec.body));
    return r.value;
  }
  return {
    input,
    ctx,
    next,
    seen,
    chunks,
    async lines(until, options = {}) {
      const deadline = Date.now() + (options.ms ?? 8000);
      while (seen.length < until) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`only ${seen.length} of ${until} lines: ${JSON.stringify(seen)}`);
        }
        const c = await next(left);
        if (options.ack !== false) c.ack.release();
      }
      return seen;
    },
    async drain(ms = 8000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`the input did not end: ${JSON.stringify(seen)}`);
        const r = await within(it.next(), `the input to end after ${JSON.stringify(seen)}`, {
          timeout: left,
        });
        if (r.done) break;
        chunks.push(r.value);
        for (const rec of (r.value as LogChunk).records) seen.push(lineOf(rec.body));
        r.value.ack.release();
      }
      await input.close();
      return seen;
    },
    async stop(options = {}) {
      ctx.controller.abort();
      const rest: Chunk[] = [];
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        rest.push(r.value);
        if (options.ack !== false) r.value.ack.release();
      }
      await input.close();
      return rest;
    },
  };
}

/** Appends text to a file (created when missing). */
export async function append(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { append: true });
}

/** A fresh temporary directory. */
export function tempDir(): Promise<string> {
  return Deno.makeTempDir({ prefix: "sluice_tail_" });
}

/**
 * Waits until `t` has closed a file (its files_closed counter), releasing any chunk read
 * meanwhile; the timeout error names `what` and carries the input's log.
 */
export async function untilFileClosed(t: Harness, what: string, timeout = 5000): Promise<void> {
  const closed = () =>
    t.ctx.metrics.value("fluentbit_input_files_closed_total", { name: "tail.0" }) >= 1;
  try {
    await until(
      async () => {
        if (closed()) return true;
        await t.next(300).then((c) => c.ack.release(), () => {});
        return closed();
      },
      what,
      { timeout, interval: 0 },
    );
  } catch (e) {
    throw new Error(`${errorMessage(e)}\n${t.ctx.logLines.join("\n")}`);
  }
}
