/**
 * The pgsql output's SQL, as Fluent Bit's out_pgsql writes it, with the tag, time key and
 * JSON passed as parameters rather than escaped literals (the rows are the same):
 * one `INSERT ... SELECT ... FROM json_array_elements(...)` per chunk.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * assertEquals(quoteIdentifier('my"table'), '"my""table"');
 * assertEquals(
 *   insertStatement('"fluentbit"', false),
 *   'INSERT INTO "fluentbit" SELECT $1, to_timestamp(CAST(value->>$2 as FLOAT)), * ' +
 *     "FROM json_array_elements($3::text::json);",
 * );
 * ```
 */

/** `name` quoted as PQescapeIdentifier quotes it (case kept, `"` doubled). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The table Fluent Bit creates: tag, time (timestamp without time zone), data. */
export function createTableStatement(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (tag varchar, time timestamp, data jsonb);`;
}

/** The insert of one chunk: $1 the tag, $2 the time key, $3 the JSON array of records. */
export function insertStatement(table: string, cockroach: boolean): string {
  const time = cockroach
    ? "CAST(value->>$2 AS INTERVAL) + DATE'1970-01-01'"
    : "to_timestamp(CAST(value->>$2 as FLOAT))";
  return `INSERT INTO ${table} SELECT $1, ${time}, * FROM json_array_elements($3::text::json);`;
}
