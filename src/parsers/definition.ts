/**
 * What every parser format shares, built once from a definition's values: the time
 * key and format, `types`, the decoders, and the problems found while compiling them.
 */
import { errorMessage } from "../error_message.ts";
import type { ParserValues } from "../config/common_options.ts";
import type { EventTime } from "../event/event_time.ts";
import { compileDecoders, type Decoders } from "./decoders.ts";
import { type FieldTypes, parseFieldTypes } from "./field_types.ts";
import { compileTimeFormat, type TimeFormat } from "./time_format.ts";
import { ianaZone, parseUtcOffset } from "./zone.ts";

/** Hooks a parser is built with. */
export interface ParserOptions {
  /** The clock (epoch ms) that fills in the year of year-less times; `Date.now` by default. */
  now?: () => number;
  /** Called with a message when a record's time does not match `time_format`. */
  warn?: (message: string) => void;
}

/** One problem in a parser definition, pinned to its key. */
export interface DefinitionProblem {
  key: string;
  message: string;
}

/** Every problem of one parser definition; thrown by the parser factories. */
export class ParserDefinitionError extends SyntaxError {
  readonly problems: DefinitionProblem[];

  constructor(name: string, problems: DefinitionProblem[]) {
    super(
      `Cannot build parser ${JSON.stringify(name)}: ` +
        problems.map((p) => `${p.key}: ${p.message}`).join("; "),
    );
    this.name = "ParserDefinitionError";
    this.problems = problems;
  }
}

/** The parts every format uses, compiled. */
export interface ParserCore {
  readonly name: string;
  /** The field holding the time (`time` unless `time_key` says otherwise). */
  readonly timeKey: string;
  /** Null when the definition has no `time_format`: then no time is looked up. */
  readonly time: TimeFormat | null;
  readonly timeKeep: boolean;
  readonly types: FieldTypes | null;
  readonly decoders: Decoders | null;
  /** The time of `text`, warning when it does not match. */
  readTime(text: string): EventTime | null;
}

/** A string option, with Fluent Bit's rule that an empty value counts as unset. */
export function textOption(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Compiles the shared parts, adding what is wrong to `problems` (the caller throws
 * once every part has been checked).
 */
export function buildCore(
  values: ParserValues,
  options: ParserOptions,
  problems: DefinitionProblem[],
): ParserCore {
  const name = values.name ?? "";
  const format = textOption(values.time_format);
  const zone = textOption(values.time_zone);
  const offset = textOption(values.time_offset);
  const before = problems.length;
  if (zone !== undefined) {
    if (format === undefined) problems.push({ key: "time_zone", message: "needs time_format" });
    if (values.time_system_timezone) {
      problems.push({ key: "time_zone", message: "cannot be used with time_system_timezone" });
    }
    if (offset !== undefined) {
      problems.push({ key: "time_zone", message: "cannot be used with time_offset" });
    }
    try {
      ianaZone(zone);
    } catch {
      problems.push({ key: "time_zone", message: `unknown IANA zone ${JSON.stringify(zone)}` });
    }
  }
  if (offset !== undefined && parseUtcOffset(offset.trim()) === null) {
    problems.push({
      key: "time_offset",
      message: `expected an offset like +0200 or -07:00, got ${JSON.stringify(offset)}`,
    });
  }
  let time: TimeFormat | null = null;
  if (format !== undefined && problems.length === before) {
    try {
      time = compileTimeFormat(format, {
        offset: values.time_system_timezone ? undefined : offset,
        zone,
        systemTimezone: values.time_system_timezone,
        strict: values.time_strict,
        now: options.now,
      });
    } catch (e) {
      problems.push({ key: "time_format", message: errorMessage(e) });
    }
  }
  let types: FieldTypes | null = null;
  const typesSpec = textOption(values.types);
  if (typesSpec !== undefined) {
    try {
      types = parseFieldTypes(typesSpec);
    } catch (e) {
      problems.push({ key: "types", message: errorMessage(e) });
    }
  }
  let decoders: Decoders | null = null;
  try {
    decoders = compileDecoders(values.decode_field ?? [], values.decode_field_as ?? []);
  } catch (e) {
    const key = errorMessage(e).includes("decode_field_as") ? "decode_field_as" : "decode_field";
    problems.push({ key, message: errorMessage(e) });
  }
  const warn = options.warn;
  return {
    name,
    timeKey: textOption(values.time_key) ?? "time",
    time,
    timeKeep: values.time_keep ?? false,
    types,
    decoders,
    readTime(text: string): EventTime | null {
      const t = time!.parse(text);
      if (t === null && warn) {
        warn(`[parser:${name}] invalid time format ${format} for ${JSON.stringify(text)}`);
      }
      return t;
    },
  };
}

/** Throws ParserDefinitionError when `problems` is not empty. */
export function assertNoProblems(name: string, problems: DefinitionProblem[]): void {
  if (problems.length) throw new ParserDefinitionError(name, problems);
}

/**
 * Compiles the shared parts of a format that adds no problems of its own; throws
 * ParserDefinitionError listing every problem of the definition.
 */
export function checkedCore(values: ParserValues, options: ParserOptions = {}): ParserCore {
  const problems: DefinitionProblem[] = [];
  const core = buildCore(values, options, problems);
  assertNoProblems(core.name, problems);
  return core;
}
