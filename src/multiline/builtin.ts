/**
 * The built-in multiline parsers Fluent Bit ships: `docker` and `cri` join lines a
 * container runtime split, `go`, `python`, `java` and `ruby` join stack traces. The
 * rule tables follow Fluent Bit's (`src/multiline/flb_ml_parser_*.c`).
 */
import { EventTime } from "../event/event_time.ts";
import type { Parser, ParseResult } from "../parsers/types.ts";
import {
  compileRules,
  DEFAULT_FLUSH_TIMEOUT_MS,
  type MultilineParser,
  type MultilineRule,
  type RuleSpec,
} from "./rules.ts";

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/**
 * Reads the RFC 3339 times container runtimes write (`2019-05-07T18:57:50.904275087+00:00`,
 * `2021-02-01T01:40:03.53412Z`), exact to the nanosecond; a time without a zone is UTC.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseContainerTime("2021-02-01T01:40:03.5Z")?.nsec, 500000000);
 * ```
 */
export function parseContainerTime(text: string): EventTime | undefined {
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  if (Number.isNaN(ms)) return undefined;
  let sec = ms / 1000;
  if (m[9]) {
    const offset = (+m[10]! * 60 + +m[11]!) * 60;
    sec += m[9] === "+" ? -offset : offset;
  }
  const nsec = m[7] ? Number(m[7].slice(0, 9).padEnd(9, "0")) : 0;
  return new EventTime(sec, nsec);
}

function withTime(body: Record<string, unknown>): ParseResult {
  const t = body.time;
  const time = typeof t === "string" ? parseContainerTime(t) : undefined;
  return time ? { body, time } : { body };
}

/** Docker's json-file lines: `{"log":"...","stream":"stdout","time":"..."}`, time kept. */
const dockerJson: Parser = {
  name: "_ml_json_docker",
  format: "json",
  parse(text: string): ParseResult | null {
    const first = text.charCodeAt(0);
    if (first !== 123 /* { */ && first !== 32 && first !== 9) return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return null;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
    return withTime(value as Record<string, unknown>);
  },
};

const CRI_RE = /^(.+?) (stdout|stderr) (F|P) (.*)$/;

/** CRI-O/containerd lines: `time stream P|F log`, parsed to `{time, stream, _p, log}`. */
const criLine: Parser = {
  name: "_ml_cri",
  format: "regex",
  parse(text: string): ParseResult | null {
    const m = CRI_RE.exec(text);
    if (!m) return null;
    return withTime({ time: m[1], stream: m[2], _p: m[3], log: m[4] });
  },
};

function rules(table: readonly (readonly [string, string, string])[]): MultilineRule[] {
  return compileRules(
    table.map(([state, regex, nextState]): RuleSpec => ({ state, regex, nextState })),
  );
}

function regexParser(name: string, rulesOf: MultilineRule[]): MultilineParser {
  return {
    name,
    type: "regex",
    rules: rulesOf,
    startRules: rulesOf.filter((r) => r.isStart),
    matchString: "",
    negate: false,
    flushTimeoutMs: DEFAULT_FLUSH_TIMEOUT_MS,
  };
}

const JAVA_RULES = [
  [
    "start_state, java_start_exception",
    String.raw`/(.)(?:Exception|Error|Throwable|V8 errors stack trace)[:\r\n]/`,
    "java_after_exception",
  ],
  ["java_after_exception", String.raw`/^[\t ]*nested exception is:[\t ]*/`, "java_start_exception"],
  ["java_after_exception", String.raw`/^[\r\n]*$/`, "java_after_exception"],
  ["java_after_exception, java", String.raw`/^[\t ]+(?:eval )?at /`, "java"],
  [
    "java_after_exception, java",
    String.raw`/^[\t ]+--- End of inner exception stack trace ---$/`,
    "java",
  ],
  [
    "java_after_exception, java",
    String.raw`/^--- End of stack trace from previous location where exception was thrown ---$/`,
    "java",
  ],
  [
    "java_after_exception, java",
    String.raw`/^[\t ]*(?:Caused by|Suppressed):/`,
    "java_after_exception",
  ],
  [
    "java_after_exception, java",
    String.raw`/^[\t ]*... \d+ (?:more|common frames omitted)/`,
    "java",
  ],
] as const;

const PYTHON_RULES = [
  ["start_state", String.raw`/^Traceback \(most recent call last\):$/`, "python"],
  ["python", String.raw`/^[\t ]+File /`, "python_code"],
  ["python_code", String.raw`/[^\t ]/`, "python"],
  ["python", String.raw`/^(?:[^\s.():]+\.)*[^\s.():]+:/`, "start_state"],
] as const;

const GO_RULES = [
  ["start_state", String.raw`/\bpanic: /`, "go_after_panic"],
  ["start_state", String.raw`/http: panic serving/`, "go_goroutine"],
  ["go_after_panic", String.raw`/^$/`, "go_goroutine"],
  ["go_after_panic, go_after_signal, go_frame_1", String.raw`/^$/`, "go_goroutine"],
  ["go_after_panic", String.raw`/^\[signal /`, "go_after_signal"],
  ["go_goroutine", String.raw`/^goroutine \d+ \[[^\]]+\]:$/`, "go_frame_1"],
  ["go_frame_1", String.raw`/^(?:[^\s.:]+\.)*[^\s.():]+\(|^created by /`, "go_frame_2"],
  ["go_frame_2", String.raw`/^\s/`, "go_frame_1"],
] as const;

const RUBY_RULES = [
  ["start_state, ruby_start_exception", String.raw`/^.+:\d+:in\s+.*/`, "ruby_after_exception"],
  ["ruby_after_exception, ruby", String.raw`/^\s+from\s+.*:\d+:in\s+.*/`, "ruby"],
] as const;

/** The names of the built-in multiline parsers. */
export const BUILTIN_NAMES = ["docker", "cri", "go", "python", "java", "ruby"] as const;

/** Builds the built-in parsers, keyed by name (compiled once per registry). */
export function builtinParsers(): Map<string, MultilineParser> {
  const docker: MultilineParser = {
    name: "docker",
    type: "endswith",
    rules: [],
    startRules: [],
    matchString: "\n",
    negate: false,
    flushTimeoutMs: DEFAULT_FLUSH_TIMEOUT_MS,
    keyContent: "log",
    keyGroup: "stream",
    parser: dockerJson,
  };
  const cri: MultilineParser = {
    name: "cri",
    type: "equal",
    rules: [],
    startRules: [],
    matchString: "F",
    negate: false,
    flushTimeoutMs: DEFAULT_FLUSH_TIMEOUT_MS,
    keyContent: "log",
    keyGroup: "stream",
    keyPattern: "_p",
    parser: criLine,
  };
  return new Map([
    ["docker", docker],
    ["cri", cri],
    ["go", regexParser("go", rules(GO_RULES))],
    ["python", regexParser("python", rules(PYTHON_RULES))],
    ["java", regexParser("java", rules(JAVA_RULES))],
    ["ruby", regexParser("ruby", rules(RUBY_RULES))],
  ]);
}
