/**
 * The `pgsql` output: inserts logs into a PostgreSQL (or CockroachDB) table as
 * `(tag, time, data jsonb)` rows, one statement per chunk (Fluent Bit's `out_pgsql`).
 */
import { defineOutput } from "../../../src/plugin.ts";
import { createPgsqlOutput } from "./pgsql.ts";
import { pgsqlOptions } from "./options.ts";

/** The pgsql output plugin definition. */
export const plugin = defineOutput({
  name: "pgsql",
  description: "PostgreSQL",
  options: pgsqlOptions,
  example: {
    options: {
      port: "${TEST_PG_PORT}",
      user: "sluice",
      password: "secret",
      table: "conformance",
    },
  },
  create: (options, ctx) => createPgsqlOutput(options, ctx),
});
