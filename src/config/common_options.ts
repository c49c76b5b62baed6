/**
 * The option tables every config shares: the `service` section, and the keys every
 * input, filter, processor and output accepts besides its own.
 */
import { errorMessage } from "../error_message.ts";
import { opt, type OptionTable, type OptionValues } from "./options.ts";
import { parseRetryLimit, parseSize } from "./values.ts";
import { parseMemorySize } from "./memory_size.ts";
import { LOG_LEVELS, type LogLevel } from "../engine/log.ts";

/**
 * A log level, case-insensitive; `warning` is taken as `warn`, as Fluent Bit does.
 *
 * @example
 * ```ts
 * import { assertEquals, assertThrows } from "../testing/assert.ts";
 *
 * assertEquals([parseLogLevel("Warning"), parseLogLevel("debug")], ["warn", "debug"]);
 * assertThrows(() => parseLogLevel("loud"), SyntaxError, "expected one of off, error, warn");
 * ```
 */
export function parseLogLevel(raw: unknown): LogLevel {
  const s = String(raw ?? "").trim().toLowerCase();
  const level = s === "warning" ? "warn" : LOG_LEVELS.find((l) => l === s);
  if (level) return level;
  throw new SyntaxError(`expected one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(s)}`);
}

function logLevel<D extends LogLevel | undefined>(def: D, description: string) {
  return opt.custom(parseLogLevel, def, description, { shows: LOG_LEVELS.join("|") });
}

/** The `service` section. */
export const serviceOptions = {
  flush: opt.duration(1, "Interval between flushes of buffered records to outputs, in seconds"),
  grace: opt.duration(
    5,
    "On shutdown, how long to keep flushing before exiting (-1 waits for all)",
  ),
  daemon: opt.bool(false, "Run in the background (not supported: sluice runs in the foreground)"),
  log_level: logLevel("info", "Diagnostic level"),
  log_file: opt.string(undefined, "Write diagnostics to this file instead of stderr"),
  http_server: opt.bool(false, "Enable the monitoring HTTP server"),
  http_listen: opt.string(
    "127.0.0.1",
    "Address the monitoring server listens on (Fluent Bit: 0.0.0.0; set 0.0.0.0 to expose it)",
  ),
  http_port: opt.int(2020, "Port the monitoring server listens on"),
  "http_server.token": opt.string(
    undefined,
    "Bearer token that POST/PUT requests (reload) and the tap (GET /api/v2/tap) must carry",
  ),
  health_check: opt.bool(false, "Enable /api/v1/health"),
  hc_errors_count: opt.int(5, "Output errors within hc_period that make the health check fail"),
  hc_retry_failure_count: opt.int(
    5,
    "Retry failures within hc_period that make the health check fail",
  ),
  hc_period: opt.duration(60, "Window of the health check, in seconds"),
  hot_reload: opt.bool(
    false,
    "Reload the config on SIGHUP or POST /api/v2/reload: checked first, swapped without loss",
  ),
  "hot_reload.ensure_thread_safety": opt.bool(true, "Accepted for compatibility"),
  "hot_reload.timeout": opt.duration(
    0,
    "How long a reload lets the old pipeline deliver before handing its chunks over " +
      "(0 = grace)",
  ),
  parsers_file: opt.multi("Parsers file to load (.conf or .yaml); may repeat"),
  plugins_file: opt.string(undefined, "External plugins file (not supported)"),
  streams_file: opt.string(undefined, "Stream processor file (not supported)"),
  "scheduler.base": opt.duration(5, "Retry backoff base, in seconds"),
  "scheduler.cap": opt.duration(2000, "Retry backoff cap, in seconds"),
  coro_stack_size: opt.int(24576, "Accepted for compatibility"),
  multiline_buffer_limit: opt.size(2_000_000, "Largest multiline message buffered"),
  "json.convert_nan_to_null": opt.bool(false, "Write NaN as null in JSON"),
  "json.escape_unicode": opt.bool(true, "Escape non-ASCII characters in JSON output"),
  "dns.mode": opt.string("UDP", "Accepted for compatibility", { choices: ["UDP", "TCP"] }),
  "dns.resolver": opt.string(undefined, "Accepted for compatibility"),
  "dns.prefer_ipv4": opt.bool(false, "Accepted for compatibility"),
  "dns.prefer_ipv6": opt.bool(false, "Accepted for compatibility"),
  "sp.convert_from_str_to_num": opt.bool(true, "Accepted for compatibility"),
  enable_chunk_trace: opt.bool(false, "Accepted for compatibility"),
  "windows.maxstdio": opt.int(512, "Accepted for compatibility"),
  "storage.path": opt.string(undefined, "Directory for filesystem buffering and dead letters"),
  "storage.sync": opt.string("normal", "fsync policy for chunk files", {
    choices: ["normal", "full"],
  }),
  "storage.checksum": opt.bool(false, "CRC32 checksum on chunk files"),
  "storage.max_chunks_up": opt.int(128, "Filesystem chunks kept in memory"),
  "storage.backlog.mem_limit": opt.size(5_000_000, "Memory for replaying old chunks"),
  "storage.backlog.flush_on_shutdown": opt.bool(
    false,
    "Accepted for compatibility: sluice always flushes what it can within grace",
  ),
  "storage.metrics": opt.bool(false, "Enable /api/v1/storage"),
  "storage.delete_irrecoverable_chunks": opt.bool(false, "Delete chunk files that cannot be read"),
  "storage.trim_files": opt.bool(false, "Accepted for compatibility"),
  "storage.type": opt.string(undefined, "Default storage type for inputs", {
    choices: ["memory", "filesystem", "memrb"],
  }),
  "storage.inherit": opt.bool(false, "Inputs without storage.type use the service's"),
  "storage.keep.rejected": opt.bool(false, "Keep chunks outputs rejected in a dead-letter store"),
  "storage.rejected.path": opt.string("rejected", "Dead-letter directory, under storage.path"),
  "storage.rejected.limit": opt.size(undefined, "Largest size of the dead-letter store"),
  "sluice.memory_limit": opt.custom(
    parseMemorySize,
    undefined,
    "Soft memory limit (sluice only): a size (200M) or a share of the host's memory (25%). " +
      "V8 heap + external memory over it pauses every input (HTTP inputs answer 503) " +
      "until it falls below sluice.memory_limit.resume",
    { shows: "size|N%|off" },
  ),
  "sluice.memory_limit.resume": opt.custom(
    parseMemorySize,
    { percent: 90 },
    "Memory below which inputs paused by sluice.memory_limit resume: a size, or a " +
      "percentage of the limit",
    { shows: "size|N%", showsDefault: "90%" },
  ),
  "sluice.memory_limit.check_interval": opt.duration(
    1,
    "How often memory is checked while sluice.memory_limit holds the inputs paused",
    { check: (v) => v > 0 ? undefined : "expected a duration above 0" },
  ),
} satisfies OptionTable;

/** Parsed `service` values. */
export type ServiceValues = OptionValues<typeof serviceOptions>;

/** Parses a size limit where `off`, `false` and `0` mean none; returns 0 for none. */
export function parseLimitSize(value: string | undefined): number {
  if (value === undefined) return 0;
  const v = value.trim().toLowerCase();
  if (v === "off" || v === "false" || v === "none" || v === "") return 0;
  return parseSize(v);
}

function checkLimitSize(value: string): string | undefined {
  try {
    parseLimitSize(value);
    return undefined;
  } catch (e) {
    return errorMessage(e).replace("1G, got", "1G, or off, got");
  }
}

/** Keys every input accepts. */
export const commonInputOptions = {
  name: opt.string(undefined, "Plugin name", { required: true }),
  tag: opt.string(undefined, "Tag of the records; defaults to the instance name"),
  alias: opt.string(undefined, "Instance name shown in metrics and logs"),
  log_level: logLevel(undefined, "Diagnostic level for this instance"),
  log_suppress_interval: opt.duration(0, "Suppress repeated log messages for this long"),
  routable: opt.bool(true, "Whether records are routed to outputs"),
  mem_buf_limit: opt.size(
    0,
    "Pause the input when its unacknowledged chunks exceed this (0 = sluice's cap: 16M plus " +
      "what holding processors such as tail sampling may keep)",
  ),
  "storage.type": opt.string(
    undefined,
    "Buffering: memory (the default) or filesystem; memrb is taken as memory",
    { choices: ["memory", "filesystem", "memrb"] },
  ),
  "storage.pause_on_chunks_overlimit": opt.bool(
    false,
    "Accepted for compatibility: chunks over storage.max_chunks_up wait on disk, never paused",
  ),
  threaded: opt.bool(false, "Accepted for compatibility (inputs share one event loop)"),
  "thread.ring_buffer.capacity": opt.int(1024, "Accepted for compatibility"),
  "thread.ring_buffer.window": opt.int(5, "Accepted for compatibility"),
  processors: opt.any("Per-input processors by signal (YAML only)"),
  routes: opt.any("Conditional routes (YAML only)"),
} satisfies OptionTable;

/** Parsed common input values. */
export type CommonInputValues = OptionValues<typeof commonInputOptions>;

/** Keys of every instance records are routed to by tag (filters and outputs). */
const matchedOptions = {
  name: opt.string(undefined, "Plugin name", { required: true }),
  match: opt.string(undefined, "Tag pattern; * matches any run of characters"),
  match_regex: opt.string(undefined, "Tag regular expression, anchored at the start"),
  alias: opt.string(undefined, "Instance name shown in metrics and logs"),
  log_level: logLevel(undefined, "Diagnostic level for this instance"),
  log_suppress_interval: opt.duration(0, "Suppress repeated log messages for this long"),
} satisfies OptionTable;

/** Keys every filter accepts. */
export const commonFilterOptions = { ...matchedOptions } satisfies OptionTable;

/** Parsed common filter values. */
export type CommonFilterValues = OptionValues<typeof commonFilterOptions>;

/** Keys every processor accepts. */
export const commonProcessorOptions = {
  name: opt.string(undefined, "Plugin name", { required: true }),
  alias: opt.string(undefined, "Instance name shown in metrics and logs"),
  log_level: logLevel(undefined, "Diagnostic level for this instance"),
  condition: opt.any("Apply only to records matching these rules"),
} satisfies OptionTable;

/** Parsed common processor values. */
export type CommonProcessorValues = OptionValues<typeof commonProcessorOptions>;

/** Keys every output accepts. */
export const commonOutputOptions = {
  ...matchedOptions,
  retry_limit: opt.custom(
    parseRetryLimit,
    1,
    "Retries per chunk: N, no_limits (or false/off) or no_retries",
    { shows: "N|no_limits|no_retries" },
  ),
  "storage.total_limit_size": opt.string(
    undefined,
    "Largest filesystem queue for this output (a size like 500M; off or 0 = no limit); " +
      "over it the oldest chunk is dropped",
    { check: (v) => checkLimitSize(v) },
  ),
  workers: opt.int(undefined, "Concurrent writes to this output (order kept only with 1)"),
  processors: opt.any("Per-output processors by signal (YAML only)"),
} satisfies OptionTable;

/** Parsed common output values. */
export type CommonOutputValues = OptionValues<typeof commonOutputOptions>;

/** Keys of a parser definition (`parsers:` item or `[PARSER]`). */
export const parserOptions = {
  name: opt.string(undefined, "Parser name", { required: true }),
  format: opt.string(undefined, "json, regex, ltsv or logfmt", {
    required: true,
    choices: ["json", "regex", "ltsv", "logfmt"],
  }),
  regex: opt.string(undefined, "Regular expression with (?<name>...) groups (format regex)"),
  time_key: opt.string(undefined, "Field holding the record's time"),
  time_format: opt.string(undefined, "strptime format of time_key, %L for fractions"),
  time_keep: opt.bool(false, "Keep time_key in the record after parsing it"),
  time_offset: opt.string(undefined, "Fixed UTC offset like +0200 for times without a zone"),
  time_strict: opt.bool(true, "Fail the parse when the time does not match time_format"),
  time_zone: opt.string(undefined, "IANA zone for times without an offset"),
  time_system_timezone: opt.bool(false, "Use the system's zone for times without an offset"),
  types: opt.string(undefined, "Field types: `key:integer key2:bool ...`"),
  decode_field: opt.multi("`decoder field` decoding a field in place"),
  decode_field_as: opt.multi("`decoder field` decoding a field into a new map"),
  skip_empty_values: opt.bool(true, "Skip empty values (ltsv, logfmt)"),
  logfmt_no_bare_keys: opt.bool(false, "Reject logfmt keys without a value"),
} satisfies OptionTable;

/** Parsed parser values. */
export type ParserValues = OptionValues<typeof parserOptions>;

/** Keys of a multiline parser definition (`multiline_parsers:` item or `[MULTILINE_PARSER]`). */
export const multilineParserOptions = {
  name: opt.string(undefined, "Multiline parser name", { required: true }),
  type: opt.string("regex", "regex, endswith or equal", {
    choices: ["regex", "endswith", "equal", "eq"],
  }),
  flush_timeout: opt.int(4000, "Milliseconds to wait for the next line before flushing"),
  key_content: opt.string(undefined, "Field holding the text to join (structured records)"),
  key_group: opt.string(undefined, "Field grouping lines"),
  key_pattern: opt.string(undefined, "Field matched by match_string"),
  match_string: opt.string(undefined, "String for endswith/equal types"),
  negate: opt.bool(false, "Negate the match"),
  parser: opt.string(undefined, "Parser applied to the joined text"),
  rule: opt.any("State rules: `state /regex/ next_state`", { multiple: true }),
  rules: opt.any("State rules as a YAML list of {state, regex, next_state}"),
} satisfies OptionTable;

/** Parsed multiline parser values. */
export type MultilineParserValues = OptionValues<typeof multilineParserOptions>;
