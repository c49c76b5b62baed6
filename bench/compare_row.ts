/**
 * The row contract of `deno task bench:compare`: a row runs one pipeline on one side
 * (sluice or Fluent Bit) and returns what it measured. Row sets register themselves in
 * `bench/compare_suites.ts`, so another module (OTLP rows, network inputs) adds its rows
 * without touching the runner.
 */

/** One side of the comparison. */
export interface CompareSide {
  /** `sluice` or `Fluent Bit`. */
  name: "sluice" | "Fluent Bit";
  /** The command line that runs the YAML config at `path`. */
  cmd(path: string): string[];
}

/** What one run of a row measured; a figure the row does not measure is left out. */
export interface RowResult {
  /** Seconds from spawn to completion (the last record delivered, the port accepting). */
  wall?: number;
  /** CPU seconds (user + system) of the collector. */
  cpu?: number;
  /** Peak (or, for idle rows, final) resident set in MiB. */
  rssMb?: number;
  /** A rate in the row's `rateUnit` (spans/s, for instance). */
  rate?: number;
  /** Set when the run did not complete exactly (missing records, wrong byte count). */
  problem?: string;
}

/** Where a row may keep files and what it reads. */
export interface RowContext {
  /** A folder of its own for configs and outputs, created. */
  dir: string;
  /** The 1M-line benchmark file (bench/lines.ts). */
  input: string;
  /** Lines in `input`. */
  lines: number;
}

/** One pipeline of the table. */
export interface CompareRow {
  /** The label in the table, e.g. `tail -> null`. */
  name: string;
  /** What CPU and RSS mean here, for the table's note (e.g. "over 10 s idle"). */
  note?: string;
  /** The unit of {@link RowResult.rate}, when the row measures one. */
  rateUnit?: string;
  /** Once before the rounds (start a sink, learn an expected byte count...). */
  setup?(ctx: RowContext, sides: readonly CompareSide[]): Promise<void>;
  /** One measured run on `side`. */
  run(side: CompareSide, ctx: RowContext): Promise<RowResult>;
  /** Once after the rounds. */
  teardown?(): Promise<void>;
}
