/**
 * The pgsql output's option table: Fluent Bit's `out_pgsql` keys (which it reads without
 * a config map) with their defaults.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

const port = (v: number) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`;

/** Every key of Fluent Bit's pgsql output (besides the common output keys). */
export const pgsqlOptions = {
  host: opt.string("127.0.0.1", "PostgreSQL host name or IP address"),
  port: opt.int(5432, "PostgreSQL TCP port", { check: port }),
  user: opt.string(undefined, "User name (default: the current unix user)"),
  password: opt.string(undefined, "Password of the user"),
  database: opt.string("fluentbit", "Database to write to"),
  table: opt.string("fluentbit", "Table to write to (created when missing; the name is quoted)"),
  connection_options: opt.string(
    undefined,
    "libpq `options` startup string, e.g. `-c search_path=logs`",
  ),
  timestamp_key: opt.string("date", "JSON key of the record time inside `data`"),
  async: opt.bool(false, "Use a pool of up to max_pool_size connections"),
  min_pool_size: opt.int(1, "Connections opened at start with async"),
  max_pool_size: opt.int(4, "Most connections with async"),
  cockroachdb: opt.bool(false, "Use CockroachDB's form of the insert"),
} satisfies OptionTable;

/** Parsed pgsql output options. */
export type PgsqlOptions = OptionValues<typeof pgsqlOptions>;
