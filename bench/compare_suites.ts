/**
 * The row sets of `deno task bench:compare`, in table order. A module with more rows
 * (OTLP spans/s, network inputs) exports a function returning its rows and is added here.
 */
import type { CompareRow } from "./compare_row.ts";
import { logRows } from "./compare_logs.ts";
import { startRows } from "./compare_start.ts";

/** Every row of the comparison. */
export function compareRows(): CompareRow[] {
  return [...logRows(), ...startRows()];
}
