/** The dummy input's option table: Fluent Bit's `in_dummy` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { jsonMapOption } from "./template.ts";

function atLeastOne(value: number): string | undefined {
  return value >= 1 ? undefined : `expected a whole number of at least 1, got ${value}`;
}

/** Every key of Fluent Bit's dummy input (besides the common input keys). */
export const dummyOptions = {
  dummy: opt.custom(
    jsonMapOption,
    jsonMapOption('{"message":"dummy"}'),
    "Dummy JSON record (a JSON object)",
    {
      shows: "json object",
    },
  ),
  metadata: opt.custom(jsonMapOption, jsonMapOption("{}"), "Dummy JSON metadata (a JSON object)", {
    shows: "json object",
  }),
  rate: opt.int(1, "Events generated per second (values below 1 mean 1)"),
  interval_sec: opt.int(
    0,
    "Seconds between events; when interval_sec or interval_nsec is set, rate is ignored",
  ),
  interval_nsec: opt.int(
    0,
    "Nanoseconds between events, added to interval_sec; when set, rate is ignored",
  ),
  copies: opt.int(1, "Records generated per event", { check: atLeastOne }),
  samples: opt.int(0, "Stop after this many events (each of `copies` records); 0 = no limit"),
  fixed_timestamp: opt.bool(
    false,
    "Give every record the same time: start_time_sec/start_time_nsec, or the start time",
  ),
  start_time_sec: opt.int(
    -1,
    "Base time of the records, in seconds since the epoch; -1 uses the current time",
  ),
  start_time_nsec: opt.int(-1, "Nanoseconds part of the base time; -1 uses the current time"),
  flush_on_startup: opt.bool(false, "Generate the first event at startup, not after one interval"),
} satisfies OptionTable;

/** Parsed dummy input options. */
export type DummyOptions = OptionValues<typeof dummyOptions>;
