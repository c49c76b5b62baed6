/**
 * The `pgsql` output: inserts logs into a PostgreSQL (or CockroachDB) table as
 * `(tag, time, data jsonb)` rows, one statement per chunk (Fluent Bit's `out_pgsql`).
 */
import { defineOutput } from "../../../src/plugin.ts";
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
  create: async (options, ctx) => (await import("./pgsql.ts")).createPgsqlOutput(options, ctx),
});
