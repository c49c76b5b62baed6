/**
 * The plugin contract. A plugin is a plain typed object: name, description, one option
 * table, and a `create` that returns the stage; `defineInput`/`defineFilter`/
 * `defineProcessor`/`defineOutput` set its kind and keep its option types. `plugins/mod.ts`
 * lists every plugin, one line each, and `plugins/registry.ts` builds the one registry; the
 * engine knows no plugin by name. This module sits below config and engine: it imports only
 * types of leaf modules, and the services a plugin may use are the small interfaces of
 * `plugin/services.ts`.
 */
import type { OptionTable, OptionValues } from "./config/options.ts";
import type { Chunk, Signal } from "./event/chunk.ts";
import type { LogRecord, RecordMap } from "./event/log_record.ts";
import type { MetricRecord } from "./event/metric.ts";
import type { Span } from "./event/span.ts";
import type { Clock } from "./plugin/clock.ts";
import type {
  EmitterService,
  MultilineLookup,
  ParserLookup,
  PluginLogger,
  PluginMetrics,
  ServiceSettings,
} from "./plugin/services.ts";

export { type Clock, nextOrTimer, realClock, TIMER } from "./plugin/clock.ts";
export { ABORTED, orAbort } from "./plugin/or_abort.ts";
export { OptionError } from "./plugin/option_error.ts";
export type { AssemblerOptions, MultilineAssembler, PushOptions } from "./multiline/assembler.ts";
export type { MultilineMessage } from "./multiline/group.ts";
export type { Parser, ParseResult } from "./parsers/types.ts";
export type { MultilineParser, MultilineRule, MultilineType } from "./multiline/rules.ts";
export type {
  Emitter,
  EmitterOptions,
  EmitterService,
  MetricFamily,
  MetricFamilyView,
  MetricLabels,
  MultilineLookup,
  ParserLookup,
  PluginLogger,
  PluginLogLevel,
  PluginMetrics,
  ServiceSettings,
} from "./plugin/services.ts";

/** An async-generator stage over chunks: the shape of every pipeline step. */
export type Stage = (chunks: AsyncIterable<Chunk>) => AsyncIterable<Chunk>;

/** What every plugin instance is given: its name and the engine services it may use. */
export interface PluginContext {
  /** Instance name: alias, or `<plugin>.<n>` (e.g. `tail.0`), as metric labels show it. */
  name: string;
  /** The instance's logger. */
  log: PluginLogger;
  /** The metrics registry. */
  metrics: PluginMetrics;
  /** The parsers by name. */
  parsers: ParserLookup;
  /** The multiline parsers by name. */
  multiline: MultilineLookup;
  /** The service settings a plugin may read. */
  settings: ServiceSettings;
  /** The clock to read and sleep on. */
  clock: Clock;
  /** Aborted when the engine stops; long waits should observe it. */
  signal: AbortSignal;
  /** Opens emitter inputs, to send records into the pipeline from the start (rewrite_tag). */
  emitters: EmitterService;
}

/** Options for {@link InputContext.chunk}. */
export interface ChunkOptions {
  /** Defaults to the input's tag. */
  tag?: string;
  /** Byte size for buffer accounting; estimated when omitted. */
  bytes?: number;
}

/** What an input instance is given. */
export interface InputContext extends PluginContext {
  /** The configured tag, or the instance name when none is set. */
  tag: string;
  /** A new log chunk with a fresh ack, for `records`. */
  chunk(records: LogRecord[], options?: ChunkOptions): Chunk;
  /** A new chunk of any signal with a fresh ack. */
  signalChunk<C extends Chunk>(
    signal: C["signal"],
    records: C["records"],
    options?: ChunkOptions,
  ): C;
  /** True while the engine holds the input paused (mem_buf_limit); push inputs answer 503. */
  isPaused(): boolean;
  /** Resolves when the input is no longer paused (at once when it is not). */
  whenResumed(): Promise<void>;
  /**
   * Asks the whole service to stop, as SIGTERM does (Fluent Bit's `flb_engine_exit`); the
   * process then exits with `code` when one is given (exec's `propagate_exit_code`).
   */
  requestExit(code?: number): void;
}

/**
 * A running input: a generator of chunks. It ends when its data ends or `signal` aborts.
 *
 * The stop rule: after `signal` aborts, the engine stops waiting for a paused input to
 * resume and keeps pulling `chunks` until the generator returns. An input that holds
 * records back (a last line without a newline, a pending multiline message) yields them
 * then, in chunks of their own, and returns. The engine gives up pulling only after the
 * stop timeout; a chunk yielded past it is never acknowledged, so the input should not
 * commit its position for it and reads it again on its next start.
 */
export interface InputInstance {
  /**
   * The input's chunks, pulled one at a time (a pull is the input's backpressure). After
   * `signal` aborts: yield what is held, then return (see the stop rule above).
   */
  chunks: AsyncIterable<Chunk>;
  /** Releases resources (sockets, files); called once after `chunks` ends. */
  close?(): Promise<void>;
  /** What the input is doing now (the files it follows), for `/api/v2/pipeline` and top. */
  report?(): InputReport;
}

/** A file an input follows, with how far it has read: `size - read` is its lag. */
export interface FileReport {
  /** The file's name now (where it was rotated to, for a rotated file). */
  path: string;
  /** Bytes read so far (the offset of the next line). */
  read: number;
  /** The offset acknowledged by every output (what a restart resumes from). */
  committed: number;
  /** The file's size now. */
  size: number;
  /** `active`, `rotated` or `deleted`. */
  state: string;
}

/** An input's own report of its progress. */
export interface InputReport {
  /** The files the input follows (tail). */
  files?: FileReport[];
}

/**
 * A running filter or processor. Either `process`, a synchronous per-chunk step (per-record
 * loop inside; null or no records drops the chunk), or `stage`, a full generator stage for
 * steps that hold chunks back (tail sampling).
 */
export interface TransformInstance {
  /** Transforms one chunk; returns null to drop it. */
  process?: (chunk: Chunk) => Chunk | null;
  /** A generator stage over the whole chunk stream, for steps that hold chunks back. */
  stage?: Stage;
  /**
   * Bytes a holding stage may keep back by design (tail sampling's buffer), acks retained.
   * An input without `mem_buf_limit` gets this much more room, so the stage's own bound and
   * policy act before the input pauses.
   */
  maxHeldBytes?: number;
  /** Releases what the instance holds; called once at shutdown. */
  close?(): Promise<void>;
}

/**
 * A running output. `write` returns when delivered, or throws RetryableError/PermanentError, or
 * PartialWriteError when the peer answered per record (src/engine/errors.ts).
 */
export interface OutputInstance {
  /** Delivers `chunk`; resolves when delivered. */
  write(chunk: Chunk): Promise<void>;
  /** Releases what the instance holds; called once at shutdown. */
  close?(): Promise<void>;
}

/**
 * Sample records a filter, processor or output is fed in the conformance test, per signal
 * it takes. A signal left out is fed the test kit's sample (`src/testing/samples.ts`).
 */
export interface PluginSamples {
  /** Log record bodies; each becomes a record at a fixed time with empty metadata. */
  logs?: readonly RecordMap[];
  /** Spans, fed as one trace chunk. */
  traces?: readonly Span[];
  /** Metric records, fed as one metrics chunk. */
  metrics?: readonly MetricRecord[];
}

/**
 * What makes an input produce records in the conformance test, and how many it produces.
 * `generates`: the input makes them itself (dummy with `samples`). `interval`: the input
 * makes them itself every interval and never ends; the test stops it once `records` came (at
 * once when `records` is 0: it must then end without any). `file`: `text` is written
 * to `path` before the input starts (tail with `exit_on_eof`). `http`: each request is
 * POSTed to the port the input listens on (give it `port: 0`; the instance exposes
 * `listening: Promise<number>`). `tcp`: each payload is written on a connection of its own
 * to that port, which is then closed. `udp`: each datagram is sent to that port. `bytes`: each
 * payload (hex) is written on its own TCP connection, then closed (binary protocols). `stdin`:
 * `text` is piped into the process's stdin (the test runs the input in a child process).
 * `journal`: `text` (journal export format) is written into the journal directory `path`
 * with systemd-journal-remote before the input starts. `nats`: each payload is published on
 * `subject` to the JetStream stream `stream` of the test's nats-server (`${TEST_NATS_PORT}`)
 * before the input starts.
 * `scrapes`: the input produces records
 * on its own every interval and never ends (metrics inputs); the test aborts it once at least
 * `records` came (`${TEST_HTTP_PORT}` serves a two-family exposition on `/metrics`).
 * The input must end by itself or once `records` came.
 */
export type InputFeed =
  & { records: number }
  & (
    | { kind: "generates" }
    | { kind: "interval" }
    | { kind: "scrapes" }
    | { kind: "file"; path: string; text: string }
    | {
      kind: "http";
      requests: readonly { path: string; contentType: string; body: string }[];
    }
    | { kind: "tcp"; payloads: readonly string[] }
    | { kind: "udp"; datagrams: readonly string[] }
    | { kind: "stdin"; text: string }
    | { kind: "bytes"; payloads: readonly string[] }
    | { kind: "journal"; path: string; text: string }
    | { kind: "nats"; stream: string; subject: string; payloads: readonly string[] }
  );

/**
 * A plugin's minimal working configuration, for the conformance test. In strings,
 * `${TEST_DIR}` stands for a scratch directory, `${TEST_HTTP_PORT}` for the port of a
 * local endpoint answering 200, `${TEST_TCP_PORT}` / `${TEST_UDP_PORT}` for the ports of
 * local TCP and UDP receivers that count what they are sent, and `${TEST_FORWARD_PORT}` for a
 * local forward protocol server.
 */
export interface PluginExample {
  /** The keys (as a config writes them) the plugin needs to be created and fed; `{}` when none. */
  options: Readonly<Record<string, unknown>>;
  /** Records it is fed, per signal; the kit's samples for the signals left out. */
  samples?: PluginSamples;
}

/** An input's minimal working configuration and what makes it produce records. */
export interface InputExample {
  /** The keys (as a config writes them) the input needs; `{}` when none. */
  options: Readonly<Record<string, unknown>>;
  /** How the test makes it produce records, and how many. */
  feed: InputFeed;
}

/** What every plugin definition declares. */
export interface PluginBase<O extends OptionTable> {
  /** The name a config uses (`Name tail`). */
  name: string;
  /** One line for `sluice plugins`. */
  description: string;
  /** The option table; `create` receives the values it parses. */
  options: O;
  /** The signals the plugin handles; defaults to logs only. */
  signals?: readonly Signal[];
  /**
   * For `sluice plugins NAME`: where it differs from (does better than) Fluent Bit's plugin, as
   * a list of points printed before the options, or as longer text printed after them.
   */
  notes?: readonly string[] | string;
}

/** An input plugin definition. */
export interface InputPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  /** Always "input". */
  readonly kind: "input";
  /** Its minimal working configuration and feed, for the conformance test (required). */
  example: InputExample;
  /** The running input for parsed `options`; throws OptionError about a key it refuses. */
  create(options: OptionValues<O>, ctx: InputContext): InputInstance | Promise<InputInstance>;
}

/** A filter plugin definition (tag-matched; also usable as a processor). */
export interface FilterPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  /** Always "filter". */
  readonly kind: "filter";
  /** Its minimal working configuration and samples, for the conformance test (required). */
  example: PluginExample;
  /** The running filter for parsed `options`; throws OptionError about a key it refuses. */
  create(
    options: OptionValues<O>,
    ctx: PluginContext,
  ): TransformInstance | Promise<TransformInstance>;
}

/** A processor plugin definition (per input or output, no tag matching). */
export interface ProcessorPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  /** Always "processor". */
  readonly kind: "processor";
  /** Its minimal working configuration and samples, for the conformance test (required). */
  example: PluginExample;
  /** The running processor for parsed `options`; throws OptionError about a key it refuses. */
  create(
    options: OptionValues<O>,
    ctx: PluginContext,
  ): TransformInstance | Promise<TransformInstance>;
}

/** Defaults an output declares for the engine's common output keys. */
export interface OutputDefaults {
  /** Concurrent writes when the config does not set `workers` (1 when omitted). */
  workers?: number;
}

/** An output plugin definition. */
export interface OutputPlugin<O extends OptionTable = OptionTable> extends PluginBase<O> {
  /** Always "output". */
  readonly kind: "output";
  /** Its minimal working configuration and samples, for the conformance test (required). */
  example: PluginExample;
  /** Its defaults for the common output keys; the config's values win. */
  defaults?: OutputDefaults;
  /** The running output for parsed `options`; throws OptionError about a key it refuses. */
  create(options: OptionValues<O>, ctx: PluginContext): OutputInstance | Promise<OutputInstance>;
}

/** Any plugin definition. */
export type Plugin = InputPlugin | FilterPlugin | ProcessorPlugin | OutputPlugin;
/** The kinds of plugin. */
export type PluginKind = Plugin["kind"];

/** A plugin definition as written, before its define function sets `kind`. */
export type Definition<P extends Plugin> = Omit<P, "kind">;

/** Declares an input plugin; `create` gets the values typed from the option table. */
export function defineInput<O extends OptionTable>(
  p: Definition<InputPlugin<O>>,
): InputPlugin<O> {
  return { ...p, kind: "input" };
}

/** Declares a filter plugin; `create` gets the values typed from the option table. */
export function defineFilter<O extends OptionTable>(
  p: Definition<FilterPlugin<O>>,
): FilterPlugin<O> {
  return { ...p, kind: "filter" };
}

/** Declares a processor plugin; `create` gets the values typed from the option table. */
export function defineProcessor<O extends OptionTable>(
  p: Definition<ProcessorPlugin<O>>,
): ProcessorPlugin<O> {
  return { ...p, kind: "processor" };
}

/** Declares an output plugin; `create` gets the values typed from the option table. */
export function defineOutput<O extends OptionTable>(
  p: Definition<OutputPlugin<O>>,
): OutputPlugin<O> {
  return { ...p, kind: "output" };
}

/** The signals a plugin handles. */
export function signalsOf(p: Plugin): readonly Signal[] {
  return p.signals ?? ["logs"];
}

/** The plugins by kind and name. */
export interface PluginRegistry {
  /** Input plugins by name. */
  inputs: Map<string, InputPlugin>;
  /** Filter plugins by name. */
  filters: Map<string, FilterPlugin>;
  /** Processor plugins by name. */
  processors: Map<string, ProcessorPlugin>;
  /** Output plugins by name. */
  outputs: Map<string, OutputPlugin>;
}

/** The registry map holding plugins of `kind`. */
export function pluginsOfKind(reg: PluginRegistry, kind: PluginKind): Map<string, Plugin> {
  const maps: Record<PluginKind, Map<string, Plugin>> = {
    input: reg.inputs,
    filter: reg.filters,
    processor: reg.processors,
    output: reg.outputs,
  };
  return maps[kind];
}

/** Builds the registry from a list of definitions; a name may be written once per kind. */
export function makeRegistry(plugins: readonly Plugin[]): PluginRegistry {
  const reg: PluginRegistry = {
    inputs: new Map(),
    filters: new Map(),
    processors: new Map(),
    outputs: new Map(),
  };
  for (const p of plugins) {
    const map = pluginsOfKind(reg, p.kind);
    if (map.has(p.name)) {
      throw new RangeError(`Plugin "${p.name}" is registered twice as ${p.kind}`);
    }
    map.set(p.name, p);
  }
  return reg;
}
