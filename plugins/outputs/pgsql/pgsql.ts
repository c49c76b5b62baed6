/**
 * The pgsql output's stage: each chunk is one INSERT of its records, as Fluent Bit's
 * JSON array (`timestamp_key` first, as a double), into `(tag, time, data jsonb)` rows,
 * over the `postgres` client's pool. The table is created on the first connection that
 * works, so sluice starts while the database is still down and delivers once it is up.
 */
import postgres from "postgres";
import { PartialWriteError, PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { formatJsonRecords } from "../../../src/event/json_format.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import { classifyPgError, pgMessage } from "./errors.ts";
import type { PgsqlOptions } from "./options.ts";
import { createTableStatement, insertStatement, quoteIdentifier } from "./statement.ts";

/** A running pgsql output. */
export interface PgsqlOutput extends OutputInstance {
  /** The quoted table name. */
  table: string;
}

/** A pgsql output instance for parsed `options`. */
export function createPgsqlOutput(options: PgsqlOptions, ctx: PluginContext): PgsqlOutput {
  if (!options.user) {
    ctx.log.warn(
      "You didn't supply a valid user to connect, your current unix user will be used",
    );
  }
  const max = options.async ? Math.max(1, options.max_pool_size) : 1;
  if (options.async && options.min_pool_size > 1) {
    ctx.log.warn(
      `min_pool_size ${options.min_pool_size} is not honoured: connections open when needed, ` +
        `up to max_pool_size ${max}`,
    );
  }
  const sql = postgres({
    host: options.host,
    port: options.port,
    ...(options.user ? { user: options.user } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    database: options.database,
    max,
    connect_timeout: 10,
    idle_timeout: 60,
    max_lifetime: null,
    fetch_types: false,
    onnotice: () => {},
    connection: options.connection_options ? { options: options.connection_options } : {},
  });
  const table = quoteIdentifier(options.table);
  const insert = insertStatement(table, options.cockroachdb);
  const target = `${options.host}:${options.port}/${options.database}`;
  let created: Promise<void> | undefined;

  const json = (records: readonly LogRecord[]) =>
    formatJsonRecords(records, {
      format: "json",
      dateKey: options.timestamp_key,
      dateFormat: "double",
      escapeUnicode: ctx.settings.jsonEscapeUnicode,
      convertNanToNull: ctx.settings.jsonConvertNanToNull,
    });

  function failure(e: unknown): RetryableError | PermanentError {
    const message = `${target}: ${pgMessage(e)}`;
    if (classifyPgError(e) === "credentials") {
      return new PermanentError(
        `PostgreSQL refused the login or database (check user, password and database): ${message}`,
      );
    }
    return new RetryableError(message, { cause: e });
  }

  /** CREATE TABLE IF NOT EXISTS, once it works. */
  async function ensureTable(): Promise<void> {
    created ??= sql.unsafe(createTableStatement(table)).then(() => {
      ctx.log.info(`table ${table} is ready on ${target}`);
    });
    try {
      await created;
    } catch (e) {
      created = undefined;
      throw failure(e);
    }
  }

  /**
   * Tells the records the server refuses from the rest by halving: each half is inserted
   * on its own, a refused half is split again, down to single records (so one bad record
   * in a chunk of n costs about 2 log2(n) statements). A lost connection midway leaves the
   * records not yet inserted for a retry.
   */
  async function insertHalves(tag: string, records: readonly LogRecord[]): Promise<never> {
    const rejected: { index: number; reason: string }[] = [];
    const retry: number[] = [];
    const all = records.flatMap((r, i) => isGroupMarker(r) ? [] : [i]);
    const todo: number[][] = [all.slice(all.length >> 1), all.slice(0, all.length >> 1)];
    while (todo.length > 0) {
      const part = todo.pop()!;
      if (part.length === 0) continue;
      if (retry.length > 0) {
        retry.push(...part);
        continue;
      }
      try {
        await sql.unsafe(insert, [tag, options.timestamp_key, json(part.map((i) => records[i]!))]);
      } catch (e) {
        if (classifyPgError(e) !== "data") retry.push(...part);
        else if (part.length === 1) rejected.push({ index: part[0]!, reason: pgMessage(e) });
        else todo.push(part.slice(part.length >> 1), part.slice(0, part.length >> 1));
      }
    }
    throw new PartialWriteError(
      `${target}: ${rejected.length} of ${records.length} records refused`,
      { rejected, retry: retry.sort((x, y) => x - y) },
    );
  }

  return {
    table,
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") return;
      const records = chunk.records as readonly LogRecord[];
      if (!records.some((r) => !isGroupMarker(r))) return;
      await ensureTable();
      try {
        await sql.unsafe(insert, [chunk.tag, options.timestamp_key, json(records)]);
      } catch (e) {
        if (classifyPgError(e) !== "data") throw failure(e);
        if (records.length === 1) {
          throw new PermanentError(`${target}: ${pgMessage(e)}`);
        }
        await insertHalves(chunk.tag, records);
      }
    },
    async close(): Promise<void> {
      await sql.end({ timeout: 5 });
    },
  };
}
