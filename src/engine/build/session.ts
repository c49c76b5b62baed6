/**
 * What every part of a build shares: the services plugins are given, the plugin context
 * each instance gets, the problems found so far, the closers of filters and processors,
 * and `create`, which turns a plugin refusing its options into a config problem: an
 * OptionError at its key's position; a SyntaxError, RangeError or TypeError at the first key
 * its message quotes, else at its section.
 */
import { dirname, resolve } from "node:path";
import type { InputConfig, PipelineConfig } from "../../config/resolved.ts";
import type { BuiltInput } from "../built.ts";
import type { ConfigProblem, Pos } from "../../config/model.ts";
import type { ParserRegistry } from "../../parsers/types.ts";
import type { Logger, LogLevel } from "../log.ts";
import type { MemoryPause } from "../memory_guard.ts";
import type { MetricsRegistry } from "../metrics.ts";
import type { Rejection } from "../output_runner.ts";
import { buildMultilineRegistry } from "../../multiline/mod.ts";
import { OptionError, type PluginContext } from "../../plugin.ts";
import { EmitterHub } from "../emitter.ts";
import { makePluginContext, serviceSettings } from "../plugin_context.ts";

/** Shared services plugins are given. */
export interface BuildDeps {
  log: Logger;
  metrics: MetricsRegistry;
  parsers: ParserRegistry;
  /** The multiline registry (built-ins only when omitted) and the clock (real when omitted). */
  context?: Partial<Pick<PluginContext, "multiline" | "clock">>;
  /**
   * Where rejected batches go; defaults to the dead-letter store when
   * `storage.keep.rejected` is on. Resolve false when the records could not be kept.
   */
  onReject?: (rejection: Rejection) => Promise<boolean | void> | boolean | void;
  /**
   * Only checking the config (`--dry-run`, `validate`), with write, net and run permissions
   * revoked: a plugin that fails for want of them would have opened a file or socket, which a
   * dry run does not do, so that is logged at debug level, not a problem.
   */
  dryRun?: boolean;
  /**
   * A hot reload's running input to keep for this config's input, when its config did not
   * change (see hot_reload.ts): it is reused, not created again.
   */
  reuse?: (input: InputConfig) => BuiltInput | undefined;
  /** Called when an input asks the service to stop (`InputContext.requestExit`). */
  onExit?: (code: number | undefined) => void;
  /** The service-wide memory limit (`sluice.memory_limit`), which pauses every input. */
  memory?: MemoryPause;
}

/** The state one `buildPipeline` call shares between building outputs, filters and inputs. */
export interface BuildSession {
  config: PipelineConfig;
  deps: BuildDeps;
  /** Every problem found so far; the build fails at the end when there is one. */
  problems: ConfigProblem[];
  /** Closers of filters and processors, run after outputs close. */
  closers: (() => Promise<void>)[];
  /** Aborted when the pipeline closes: the `signal` of every non-input context. */
  stopAll: AbortController;
  /** The emitter inputs plugins open (rewrite_tag); built as inputs after the config's. */
  emitters: EmitterHub;
  /** The context of one instance. */
  context(
    kind: string,
    plugin: string,
    name: string,
    level?: string,
  ): PluginContext & { log: Logger };
  /** Runs `make`; a refused option becomes a problem at its section and gives undefined. */
  create<T>(
    where: { pos: Pos; keys?: Record<string, Pos> },
    label: string,
    make: () => T | Promise<T>,
  ): Promise<T | undefined>;
}

/** A fresh session for building `config`. */
export function buildSession(config: PipelineConfig, deps: BuildDeps): BuildSession {
  const problems: ConfigProblem[] = [];
  const service = config.service;
  const stopAll = new AbortController();
  const emitters = new EmitterHub(config.inputs.map((i) => i.name));

  const multiline = deps.context?.multiline ??
    buildMultilineRegistry([], { parsers: deps.parsers });
  const settings = { ...serviceSettings(service), configDir: configDirOf(config.file) };
  const context = (kind: string, plugin: string, name: string, level?: string) =>
    makePluginContext({
      name,
      log: deps.log.child(`${kind}:${plugin}:${name}`, level as LogLevel | undefined),
      metrics: deps.metrics,
      parsers: deps.parsers,
      multiline,
      settings,
      clock: deps.context?.clock,
      signal: stopAll.signal,
      emitters,
    });

  async function create<T>(
    where: { pos: Pos; keys?: Record<string, Pos> },
    label: string,
    make: () => T | Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await make();
    } catch (e) {
      if (deps.dryRun && notCapable(e)) {
        deps.log.debug(`${label}: not opened in a dry run: ${notCapable(e)}`);
        return undefined;
      }
      if (e instanceof OptionError) {
        const pos = where.keys?.[e.key] ?? where.pos;
        problems.push({ pos, key: e.key, message: `${label}: ${e.message}` });
        return undefined;
      }
      if (e instanceof SyntaxError || e instanceof RangeError || e instanceof TypeError) {
        // Untyped errors (a SyntaxError of a rule parser): the first key the message quotes.
        const key = quotedKey(e.message, where.keys);
        const pos = key ? where.keys![key]! : where.pos;
        problems.push({ pos, key, message: `${label}: ${e.message}` });
        return undefined;
      }
      throw e;
    }
  }

  return { config, deps, problems, closers: [], stopAll, emitters, context, create };
}

/** The message of the NotCapable error `e` is or was caused by, if any. */
function notCapable(e: unknown): string | undefined {
  for (let c = e; c instanceof Error; c = c.cause) {
    if (c instanceof Deno.errors.NotCapable) return c.message;
    // A plugin that put the message in an error of its own without the cause.
    if (/Requires (write|net|run|ffi) access/.test(c.message)) return c.message;
  }
  return undefined;
}

/** The first key a message quotes that the section has, lowercased. */
function quotedKey(message: string, keys: Record<string, Pos> | undefined): string | undefined {
  const quoted = [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.toLowerCase());
  return quoted.find((k) => keys?.[k] !== undefined);
}

/** The directory of the main config file; undefined for a command-line pipeline. */
function configDirOf(file: string): string | undefined {
  return file && !file.startsWith("<") ? dirname(resolve(file)) : undefined;
}
