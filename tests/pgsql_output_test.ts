/**
 * The pgsql output end to end through the CLI against a real PostgreSQL started in a
 * private temp dir: Fluent Bit's table shape and rows (compared with the rows Fluent Bit
 * 4.2.8 writes into the same database when the peer is present), batched inserts,
 * PostgreSQL stopped for 30 s and started again with nothing lost, a wrong password
 * refused once with a clear message, and a record jsonb refuses dead-lettered alone.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { NO_POSTGRES, PostgresServer } from "../src/testing/postgres_server.ts";
import { NO_PEER } from "../src/testing/fluent_bit.ts";
import { waitFor } from "./_helpers.ts";
import {
  deadLetterRecords,
  dummyOutputsConfig,
  range,
  runFluentBitUntil,
  runSluiceConfig,
  startSluice,
  tailJsonConfig,
  waitForDeadLetters,
} from "./_outputs.ts";

const pg = await PostgresServer.start();

function test(name: string, fn: (pg: PostgresServer) => Promise<void>): void {
  Deno.test({
    name,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      if (!pg) {
        console.log(NO_POSTGRES);
        return;
      }
      await fn(pg);
    },
  });
}

function output(port: number, keys: string[]): string {
  return `    - name: pgsql
      match: "*"
      host: 127.0.0.1
      port: ${port}
      user: sluice
      password: secret
      database: fluentbit
${keys.map((k) => `      ${k}\n`).join("")}`;
}

function dummyConfig(port: number, outputs: string[][]): string {
  return dummyOutputsConfig(
    '{"m":"x","n":1,"f":1.5,"u":"h\\u00e9llo","nested":{"a":[1,"b"]}}',
    outputs.map((keys) => output(port, keys)).join(""),
    3,
  );
}

async function rows(pg: PostgresServer, table: string) {
  return await pg.query(
    `SELECT tag, to_char(time, 'YYYY-MM-DD HH24:MI:SS.US') AS time, data::text AS data ` +
      `FROM ${table} ORDER BY time, data::text`,
    "fluentbit",
  );
}

test("pgsql output: Fluent Bit's table and rows (the same rows Fluent Bit writes)", async (pg) => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_pgsql_" });
  const cases = [
    ["table: sluice_rows"],
    ["table: Sluice Mixed"],
    [
      "table: sluice_roach",
      "cockroachdb: on",
    ],
    ["table: sluice_async", "async: on", "max_pool_size: 2", "timestamp_key: ts"],
    [
      "table: sluice_schema",
      "connection_options: -c search_path=logs",
    ],
  ];
  await pg.query("CREATE SCHEMA IF NOT EXISTS logs AUTHORIZATION sluice", "fluentbit");
  const run = await runSluiceConfig(dir, dummyConfig(pg.port, cases));
  assertEquals(run.code, 0, run.log);
  const columns = await pg.query(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = " +
      "'sluice_rows' ORDER BY ordinal_position",
    "fluentbit",
  );
  assertEquals(columns, [
    { column_name: "tag", data_type: "character varying" },
    { column_name: "time", data_type: "timestamp without time zone" },
    { column_name: "data", data_type: "jsonb" },
  ]);
  const row = {
    tag: "app.web",
    time: "2023-11-14 22:13:20.500000",
    data: '{"f": 1.5, "m": "x", "n": 1, "u": "héllo", "date": 1700000000.5, ' +
      '"nested": {"a": [1, "b"]}}',
  };
  assertEquals(await rows(pg, "sluice_rows"), [row, row, row]);
  assertEquals(await rows(pg, '"Sluice Mixed"'), [row, row, row], "the name is quoted");
  assertEquals(await rows(pg, "sluice_roach"), [row, row, row], "the CockroachDB insert");
  const ts = row.data.replace('"date"', '"ts"');
  assertEquals((await rows(pg, "sluice_async")).map((r) => r.data), [ts, ts, ts]);
  assertEquals(await rows(pg, "logs.sluice_schema"), [row, row, row], "connection_options");

  const fbCases = cases.map((c) => c.map((k) => k.replace(/sluice/i, "fb")));
  const done = async () =>
    (await Promise.all(
      ["fb_rows", '"fb Mixed"', "fb_roach", "fb_async", "logs.fb_schema"].map((t) =>
        pg.query(`SELECT count(*)::int AS n FROM ${t}`, "fluentbit").catch(() => [{ n: 0 }])
      ),
    )).every((r) => r[0]!.n === 3);
  let ready = false;
  const poll = setInterval(async () => (ready = await done()), 200);
  const fbLog = await runFluentBitUntil(dir, dummyConfig(pg.port, fbCases), () => ready);
  clearInterval(poll);
  if (fbLog === null) {
    console.log(NO_PEER);
    return;
  }
  assertEquals(await rows(pg, "fb_rows"), await rows(pg, "sluice_rows"), fbLog);
  assertEquals(await rows(pg, '"fb Mixed"'), await rows(pg, '"Sluice Mixed"'));
  assertEquals(await rows(pg, "fb_roach"), await rows(pg, "sluice_roach"));
  assertEquals(await rows(pg, "fb_async"), await rows(pg, "sluice_async"));
  assertEquals(await rows(pg, "logs.fb_schema"), await rows(pg, "logs.sluice_schema"));

  // sluice appends to the very table Fluent Bit created: the same rows again.
  const again = await runSluiceConfig(dir, dummyConfig(pg.port, [["table: fb_rows"]]));
  assertEquals(again.code, 0, again.log);
  const both = await rows(pg, "fb_rows");
  assertEquals(both, [row, row, row, row, row, row]);
});

function tailConfig(port: number, keys: string[], metricsPort?: number): string {
  return tailJsonConfig(output(port, ["workers: 1", ...keys]), metricsPort);
}

function lines(from: number, to: number): string {
  let text = "";
  for (let i = from; i < to; i++) text += JSON.stringify({ id: i, msg: `line ${i}` }) + "\n";
  return text;
}

async function ids(pg: PostgresServer, table: string): Promise<number[]> {
  const r = await pg.query(`SELECT (data->>'id')::int AS id FROM ${table} ORDER BY 1`, "fluentbit")
    .catch(() => []);
  return r.map((x) => Number(x.id));
}

test("pgsql output: inserts are batched, one statement per chunk", async (pg) => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_pgsql_batch_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 20_000));
  const svc = await startSluice(dir, tailConfig(pg.port, ["table: batched"]));
  try {
    await waitFor(async () => (await ids(pg, "batched")).length >= 20_000, {
      what: "20000 rows",
      timeoutMs: 60_000,
    });
    assertEquals(await ids(pg, "batched"), range(0, 20_000));
    const [tx] = await pg.query(
      "SELECT count(DISTINCT xmin::text)::int AS n FROM batched",
      "fluentbit",
    );
    assert(Number(tx!.n) < 100, `20000 rows in ${tx!.n} transactions`);
  } finally {
    await svc.stop();
  }
});

test("pgsql output: PostgreSQL stopped for 30 s and started again: nothing lost", async (pg) => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_pgsql_down_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 100));
  const svc = await startSluice(
    dir,
    tailConfig(pg.port, ["table: outage", "retry_limit: no_limits"]),
  );
  try {
    await waitFor(async () => (await ids(pg, "outage")).length >= 100, { what: "100 rows" });
    await pg.down();
    await Deno.writeTextFile(`${dir}/in.log`, lines(100, 300), { append: true });
    await waitFor(() => svc.log().includes("retry"), { what: "a retry", timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 30_000)); // the outage itself, not an assertion
    await pg.up();
    await waitFor(async () => new Set(await ids(pg, "outage")).size >= 300, {
      what: "300 rows",
      timeoutMs: 60_000,
    });
    assertEquals([...new Set(await ids(pg, "outage"))], range(0, 300), "none missing");
    assertEquals(await deadLetterRecords(dir), []);
  } finally {
    await svc.stop();
  }
});

test("pgsql output: a wrong password is refused once with a clear message", async (pg) => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_pgsql_auth_" });
  await Deno.writeTextFile(`${dir}/in.log`, lines(0, 20));
  const svc = await startSluice(
    dir,
    tailConfig(pg.port, ["table: auth", "retry_limit: no_limits", "password: wrong"])
      .replace("      password: secret\n", ""),
  );
  try {
    const dlq = await waitForDeadLetters(dir, 20);
    assertStringIncludes(dlq[0]!.reason, "PostgreSQL refused the login or database");
    assertStringIncludes(dlq[0]!.reason, "28P01");
    assert(!svc.log().includes("retry 1"), svc.log());
  } finally {
    await svc.stop();
  }
});

test("pgsql output: records jsonb refuses are dead-lettered alone (found by halving), the others inserted", async (pg) => {
  const dir = await Deno.makeTempDir({ prefix: "sluice_pgsql_nul_" });
  const nul = (id: number) => `{"id":${id},"msg":"a\\u0000b"}\n`;
  const text = lines(0, 10) + nul(10) + lines(11, 1500) + nul(1500) + lines(1501, 2000);
  await Deno.writeTextFile(`${dir}/in.log`, text);
  const svc = await startSluice(dir, tailConfig(pg.port, ["table: nul"]));
  try {
    await waitForDeadLetters(dir, 2);
    await waitFor(async () => (await ids(pg, "nul")).length === 1998, { what: "1998 rows" });
    assertEquals(await ids(pg, "nul"), range(0, 2000).filter((i) => i !== 10 && i !== 1500));
    const dead = await deadLetterRecords(dir);
    assertEquals(dead.map((d) => d.body.id), [10, 1500]);
    assertStringIncludes(dead[0]!.reason, "22P05");
  } finally {
    await svc.stop();
  }
});

Deno.test({
  name: "pgsql output: stop PostgreSQL",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await pg?.stop();
  },
});
