/**
 * `deno task bench:pgsql`: `tail -> pgsql` with the 1,000,000-line benchmark file into a
 * real PostgreSQL started in a private temp dir (as `tests/pgsql_output_test.ts` does),
 * side by side with Fluent Bit 4.2.8's pgsql output into the same database when the peer
 * is present: lines/s (until every row is there), CPU seconds, peak RSS and the ratio.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { NO_POSTGRES, PostgresServer } from "../src/testing/postgres_server.ts";
import { benchInput } from "./lines.ts";
import { loadAverage, sluiceCommand } from "./measure.ts";
import { deliveredLine, ratioLine, runUntilDelivered } from "./until_delivered.ts";

const { lines: LINES, out, input } = await benchInput();
const { entry, cmd: sluice } = await sluiceCommand();
const pg = await PostgresServer.start();
if (!pg) {
  console.log(NO_POSTGRES);
  Deno.exit(0);
}

function config(table: string): string {
  return `service:
  flush: 0.2
  log_level: warn
pipeline:
  inputs:
    - name: tail
      path: ${input}
      read_from_head: true
      refresh_interval: 1
  outputs:
    - name: pgsql
      match: "*"
      port: ${pg!.port}
      user: sluice
      password: secret
      table: ${table}
`;
}

async function side(name: string, table: string, cmd: (path: string) => string[]) {
  const path = `${out}/pgsql_${table}.yaml`;
  await Deno.writeTextFile(path, config(table));
  const count = async () =>
    Number((await pg!.query(`SELECT count(*)::int AS n FROM ${table}`, "fluentbit"))[0]?.n ?? 0);
  const r = await runUntilDelivered(`tail -> pgsql (${name})`, cmd(path), {
    count,
    expected: LINES,
    pollMs: 500,
  });
  console.log(deliveredLine(r));
  if (r.delivered !== LINES) console.log(`!! ${name} delivered ${r.delivered} of ${LINES}`);
  return r;
}

try {
  console.log(
    `pgsql benchmark, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry}), ` +
      `PostgreSQL on 127.0.0.1 (fsync off), load ${loadAverage()}`,
  );
  const ours = await side("sluice", "bench_sluice", (path) => [...sluice, "-c", path]);
  const bin = await fluentBitPath();
  if (bin) {
    const theirs = await side("Fluent Bit 4.2.8", "bench_fb", (path) => [bin, "-c", path]);
    console.log(ratioLine(ours, theirs));
  } else {
    console.log("Fluent Bit 4.2.8 peer not found: sluice's figures only");
  }
} finally {
  await pg.stop();
}
