/**
 * `deno task bench:pgsql`: `tail -> pgsql` with the 1,000,000-line benchmark file into a
 * real PostgreSQL started in a private temp dir (as `tests/pgsql_output_test.ts` does),
 * side by side with Fluent Bit 4.2.8's pgsql output into the same database when the peer
 * is present: lines/s (until every row is there), CPU seconds, peak RSS and the ratio.
 */
import { NO_POSTGRES, PostgresServer } from "../src/testing/postgres_server.ts";
import { benchInput } from "./lines.ts";
import { loadAverage, sluiceCommand } from "./measure.ts";
import { runSide, sideBySide, tailBenchConfig } from "./until_delivered.ts";

const { lines: LINES, out, input } = await benchInput();
const { entry, cmd: sluice } = await sluiceCommand();
const pg = await PostgresServer.start();
if (!pg) {
  console.log(NO_POSTGRES);
  Deno.exit(0);
}

try {
  console.log(
    `pgsql benchmark, ${LINES.toLocaleString("en-US")} lines of ~210 bytes (${entry}), ` +
      `PostgreSQL on 127.0.0.1 (fsync off), load ${loadAverage()}`,
  );
  await sideBySide(sluice, (side) => {
    const table = side.name === "sluice" ? "bench_sluice" : "bench_fb";
    const yaml = tailBenchConfig(
      input,
      `    - name: pgsql
      match: "*"
      port: ${pg.port}
      user: sluice
      password: secret
      table: ${table}
`,
    );
    const count = async () =>
      Number((await pg.query(`SELECT count(*)::int AS n FROM ${table}`, "fluentbit"))[0]?.n ?? 0);
    return runSide(side, "tail -> pgsql", `${out}/pgsql_${table}.yaml`, yaml, {
      count,
      expected: LINES,
      pollMs: 500,
    });
  });
} finally {
  await pg.stop();
}
