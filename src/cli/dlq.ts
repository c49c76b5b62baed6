/**
 * `sluice dlq list` and `sluice dlq replay`: what the dead-letter store holds, and sending
 * it again through a config's outputs. Replayed chunks skip inputs and filters (their
 * records already went through them) and are routed by tag; a file is removed (with
 * `--delete`) only once every output it went to has delivered it.
 */
import { errorMessage } from "../error_message.ts";
import { loadConfigFile } from "../config/load.ts";
import { ConfigError, formatProblem } from "../config/model.ts";
import type { PipelineConfig } from "../config/resolved.ts";
import { resolveConfig } from "../config/resolve.ts";
import { Ack } from "../event/ack.ts";
import { Logger, type LogLevel, stderrSink } from "../engine/log.ts";
import { MetricsRegistry } from "../engine/metrics.ts";
import type { PluginRegistry } from "../plugin.ts";
import { assemblePipeline, EXIT_CONFIG, EXIT_OK, EXIT_RUNTIME } from "../service.ts";
import type { Chunk } from "../event/chunk.ts";
import {
  type DeadLetterEntry,
  listDeadLetters,
  readDeadLetter,
} from "../engine/storage/dead_letter.ts";
import { deadLetterDir } from "../engine/storage/setup.ts";

/** Flags of `sluice dlq list` and `sluice dlq replay`. */
export interface DlqFlags {
  config?: string;
  /** The dead-letter directory; defaults to the config's `storage.path`/`storage.rejected.path`. */
  path?: string;
  /** Remove each replayed file once delivered (replay only). */
  delete?: boolean;
}

/** Where a command writes its lines; tests pass their own. */
export interface DlqIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Dead-letter chunks in flight at once during a replay. */
const WINDOW = 16;

const stdio: DlqIo = {
  out: (line) => console.log(line),
  err: (line) => stderrSink.write(`${line}\n`),
};

async function loadConfig(path: string, registry: PluginRegistry): Promise<PipelineConfig> {
  return resolveConfig(await loadConfigFile(path), registry);
}

function reportConfigError(e: unknown, io: DlqIo): number {
  if (e instanceof ConfigError) {
    for (const p of e.problems) io.err(formatProblem(p));
    return EXIT_CONFIG;
  }
  io.err(`sluice: ${e instanceof Error ? e.message : String(e)}`);
  return EXIT_RUNTIME;
}

async function resolveDir(
  flags: DlqFlags,
  registry: PluginRegistry,
): Promise<{ dir: string; config?: PipelineConfig }> {
  const config = flags.config ? await loadConfig(flags.config, registry) : undefined;
  const dir = flags.path ?? (config ? deadLetterDir(config.service) : undefined);
  if (dir === undefined) {
    throw new Error(
      "no dead-letter directory: pass --path DIR, or -c FILE with service storage.path",
    );
  }
  return { dir, config };
}

/** One `dlq list` line: time, output, tag, status, records, file, reason. */
export function formatEntry(e: DeadLetterEntry): string {
  const h = e.header;
  const file = e.path.slice(e.path.lastIndexOf("/") + 1);
  return [
    new Date(h.rejected).toISOString(),
    h.output,
    h.tag,
    String(h.status),
    `${h.records} records`,
    file,
    h.reason,
  ].join("  ");
}

/** `sluice dlq list`: one line per dead-letter file, oldest first. */
export async function dlqList(
  flags: DlqFlags,
  options: { registry: PluginRegistry; io?: DlqIo },
): Promise<number> {
  const io = options.io ?? stdio;
  try {
    const { dir } = await resolveDir(flags, options.registry);
    const entries = await listDeadLetters(dir);
    for (const e of entries) io.out(formatEntry(e));
    io.err(`${entries.length} dead-letter files in ${dir}`);
    return EXIT_OK;
  } catch (e) {
    return reportConfigError(e, io);
  }
}

/** `sluice dlq replay`: sends every dead-letter chunk through the config's outputs. */
export async function dlqReplay(
  flags: DlqFlags,
  options: { registry: PluginRegistry; io?: DlqIo },
): Promise<number> {
  const io = options.io ?? stdio;
  if (!flags.config) {
    io.err("sluice: dlq replay needs -c FILE: the config whose outputs receive the records");
    return EXIT_CONFIG;
  }
  let dir: string;
  let config: PipelineConfig;
  try {
    const r = await resolveDir(flags, options.registry);
    dir = r.dir;
    config = r.config!;
  } catch (e) {
    return reportConfigError(e, io);
  }
  const log = new Logger({ level: config.service.log_level as LogLevel, sink: stderrSink });
  const rejected = new Set<Ack>();
  const pipeline = await assemblePipeline({ ...config, inputs: [] }, log, {
    metrics: new MetricsRegistry(),
    onReject: (r) => {
      for (const c of r.batch.sources) rejected.add(c.ack);
      return true; // the file stays where it is: the records are not lost
    },
  });
  pipeline.flushNow(); // a batch job: no waiting for flush intervals
  const counts = { delivered: 0, failed: 0, unrouted: 0, unreadable: 0, records: 0 };
  const sent: { path: string; chunk: Chunk }[] = [];
  /** Waits for the chunks sent so far and settles their files. */
  const settle = async () => {
    for (const { path, chunk } of sent) {
      await chunk.ack.done;
      if (rejected.has(chunk.ack)) {
        counts.failed++;
        io.err(`not delivered again, kept: ${path}`);
        continue;
      }
      counts.delivered++;
      counts.records += chunk.records.length;
      if (flags.delete) await Deno.remove(path);
      io.out(`delivered ${chunk.records.length} records from ${path}`);
    }
    sent.length = 0;
  };
  try {
    for (const entry of await listDeadLetters(dir)) {
      let chunk: Chunk;
      try {
        const { header, records } = await readDeadLetter(entry.path);
        chunk = {
          signal: header.signal,
          tag: header.tag,
          input: header.input,
          records,
          bytes: header.bytes,
          ack: new Ack(),
        } as Chunk;
      } catch (e) {
        counts.unreadable++;
        io.err(`cannot read ${entry.path}: ${errorMessage(e)}`);
        continue;
      }
      if (!pipeline.inject(chunk)) {
        counts.unrouted++;
        io.err(`no output of ${flags.config} matches tag "${chunk.tag}": ${entry.path} kept`);
        continue;
      }
      sent.push({ path: entry.path, chunk });
      if (sent.length >= WINDOW) await settle();
    }
    await settle();
  } finally {
    await pipeline.drain({ grace: config.service.grace, mode: "progress" });
    await pipeline.close();
  }
  io.err(
    `replayed ${counts.delivered} files (${counts.records} records)` +
      (flags.delete ? " and removed them" : "") +
      `; ${counts.failed} failed again, ${counts.unrouted} unrouted, ${counts.unreadable} unreadable`,
  );
  return counts.failed + counts.unrouted + counts.unreadable > 0 ? EXIT_RUNTIME : EXIT_OK;
}
