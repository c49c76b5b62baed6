/**
 * The exec input: runs a shell command every interval (or once) and makes each line of its
 * stdout a record, as Fluent Bit's `in_exec` does. A run still going at the next interval
 * is not doubled: later runs wait until it exits (logged once per run); each run's exit
 * code and stderr are logged, and a stop ends the command's whole process group.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import {
  ABORTED,
  type Clock,
  type InputContext,
  type InputInstance,
  orAbort,
} from "../../../src/plugin.ts";
import { CommandRun } from "./command.ts";
import { LineRecords, LineSplitter, MAX_LINE_BYTES } from "./lines.ts";
import type { ExecSettings } from "./settings.ts";

const SAMPLE_CHARS = 200;

/** Longest single timer: setTimeout fires at once for delays past 2^31 - 1 ms. */
const MAX_TIMER_MS = 2 ** 30;

/** Sleeps `ms` on `clock` in timer-sized steps; resolves early when `signal` aborts. */
async function sleepFor(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  const until = clock.now() + ms;
  while (!signal.aborted && clock.now() < until) {
    await clock.sleep(Math.min(MAX_TIMER_MS, until - clock.now()), signal).catch(() => {});
  }
}

function sample(line: string): string {
  return JSON.stringify(line.length > SAMPLE_CHARS ? `${line.slice(0, SAMPLE_CHARS)}...` : line);
}

/** A running exec input. */
export class ExecInput implements InputInstance {
  readonly chunks: AsyncIterable<Chunk>;
  #settings: ExecSettings;
  #ctx: InputContext;
  #records: LineRecords;
  #run: CommandRun | undefined;
  #unmatched = 0;

  constructor(settings: ExecSettings, ctx: InputContext) {
    this.#settings = settings;
    this.#ctx = ctx;
    const unmatched = ctx.metrics.counter(
      "sluice_exec_unparsed_lines_total",
      "Lines of the exec command's output its parser did not match (kept as {exec: line}).",
    );
    this.#records = new LineRecords(settings.parser, (line) => {
      this.#unmatched++;
      unmatched.inc({ name: ctx.name });
      ctx.log.once(
        "warn",
        "exec-parser-mismatch",
        `parser "${settings.parser?.name}" did not match a line, kept as {"exec": line} ` +
          `(further misses are counted, not logged): ${sample(line)}`,
      );
    });
    this.chunks = this.#main();
  }

  /** Stops a command still running. */
  async close(): Promise<void> {
    const run = this.#run;
    if (run && !run.exited) await run.stop();
  }

  async *#main(): AsyncGenerator<Chunk> {
    const s = this.#settings;
    const { signal, log, clock } = this.#ctx;
    if (s.oneshot) {
      const code = yield* this.#once();
      if (s.exitAfterOneshot && !signal.aborted) {
        log.info("one-shot command exited, terminating");
        this.#ctx.requestExit(s.propagateExitCode ? code : undefined);
        return;
      }
      log.debug("one-shot command exited but exit_after_oneshot not set");
      // Fluent Bit's input stays, idle, until the service stops.
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener("abort", () => resolve(), { once: true });
      });
      return;
    }
    while (!signal.aborted) {
      const started = clock.now();
      yield* this.#once();
      if (signal.aborted) break;
      const elapsed = clock.now() - started;
      const ticks = Math.max(1, Math.ceil(elapsed / s.intervalMs));
      if (ticks > 1) log.debug(`${ticks - 1} runs skipped while the command ran`);
      await sleepFor(clock, started + ticks * s.intervalMs - clock.now(), signal);
    }
    if (this.#unmatched > 0) log.info(`${this.#unmatched} lines were kept as {"exec": line}`);
  }

  /** One run: its chunks, then its exit code (undefined when it was stopped). */
  async *#once(): AsyncGenerator<Chunk, number | undefined> {
    const s = this.#settings;
    const { signal, log, clock } = this.#ctx;
    let run: CommandRun;
    try {
      run = new CommandRun(s.command);
    } catch (e) {
      log.error(`command "${s.command}" failed to start: ${(e as Error).message}`);
      return 127;
    }
    this.#run = run;
    const hang = new AbortController();
    if (!s.oneshot) {
      sleepFor(clock, s.intervalMs, hang.signal).then(() => {
        if (!run.exited && !hang.signal.aborted) {
          log.warn(
            `command "${s.command}" is still running after its interval ` +
              `(${s.intervalMs / 1000} s): later runs wait until it exits`,
          );
        }
      }, () => {});
    }
    const splitter = new LineSplitter();
    const cutBefore = splitter.cut;
    try {
      for (;;) {
        const read = await orAbort(run.stdout.read(), signal);
        if (read === ABORTED || read.done) break;
        const lines = splitter.push(read.value);
        if (lines.length > 0) yield this.#chunk(lines, read.value.length);
      }
      if (splitter.cut > cutBefore) {
        log.once(
          "warn",
          "exec-long-line",
          `command "${s.command}" wrote a line over ${MAX_LINE_BYTES} bytes: handed on in pieces`,
        );
      }
      const rest = splitter.end();
      if (rest !== undefined) yield this.#chunk([rest], rest.length);
    } finally {
      hang.abort();
      if (!run.exited && signal.aborted) await run.stop();
    }
    if (signal.aborted) return undefined;
    const status = await run.child.status;
    await run.stderrDone;
    this.#report(run, status);
    return status.code;
  }

  #chunk(lines: string[], bytes: number): Chunk {
    const records: LogRecord[] = [];
    this.#records.convert(lines, EventTime.now(), records);
    return this.#ctx.chunk(records, { bytes });
  }

  #report(run: CommandRun, status: Deno.CommandStatus): void {
    const { log } = this.#ctx;
    const how = status.signal
      ? `was killed by ${status.signal} (exit code ${status.code})`
      : `exited with code ${status.code}`;
    const errors = run.stderr.length === 0
      ? ""
      : `; stderr${run.droppedStderr ? ` (last ${run.stderr.length} lines)` : ""}: ${
        run.stderr.join(" / ")
      }`;
    const line = `command "${this.#settings.command}" ${how}${errors}`;
    if (status.success) {
      if (errors) log.info(line);
      else log.debug(line);
    } else log.error(line);
  }
}
