/**
 * A real PostgreSQL server for tests, in a private temp dir: `initdb` with trust
 * authentication (plus a password user when asked), listening on 127.0.0.1 on a free
 * port, run as the `postgres` user when the tests run as root (PostgreSQL refuses root).
 * It can be stopped and started again on the same port and data (an outage).
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const pg = await PostgresServer.start();
 * if (pg) {
 *   const rows = await pg.query("SELECT 1 AS one");
 *   assertEquals(rows, [{ one: 1 }]);
 *   await pg.stop();
 * }
 * ```
 */
import postgres from "postgres";

/** The binaries' folder: `$PG_BIN`, else the newest /usr/lib/postgresql/N/bin; null if none. */
export async function postgresBin(): Promise<string | null> {
  const env = Deno.env.get("PG_BIN");
  const candidates: string[] = env ? [env] : [];
  try {
    const versions: number[] = [];
    for await (const e of Deno.readDir("/usr/lib/postgresql")) {
      if (/^\d+$/.test(e.name)) versions.push(Number(e.name));
    }
    versions.sort((a, b) => b - a);
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  } catch {
    // not installed
  }
  for (const c of candidates) {
    try {
      if ((await Deno.stat(`${c}/postgres`)).isFile) return c;
    } catch {
      // next
    }
  }
  return null;
}

/** What a test prints when it skips for want of PostgreSQL. */
export const NO_POSTGRES =
  "skipped: PostgreSQL not found (apt-get install postgresql, or set PG_BIN)";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A running (or stopped) private PostgreSQL. */
export class PostgresServer {
  /** The TCP port on 127.0.0.1. */
  readonly port: number;
  /** The temp dir holding the data and the socket. */
  readonly dir: string;
  #bin: string;
  #asRoot: boolean;
  #child: Deno.ChildProcess | undefined;
  #log = "";

  private constructor(bin: string, dir: string, port: number, asRoot: boolean) {
    this.#bin = bin;
    this.dir = dir;
    this.port = port;
    this.#asRoot = asRoot;
  }

  /**
   * Creates and starts a server with databases `fluentbit` and `databases`, and the user
   * `sluice` with password `secret`; null when PostgreSQL is not installed.
   */
  static async start(options: { databases?: string[] } = {}): Promise<PostgresServer | null> {
    const bin = await postgresBin();
    if (!bin) return null;
    const dir = await Deno.makeTempDir({ prefix: "sluice_pg_" });
    const asRoot = Deno.uid() === 0;
    if (asRoot) await run("chown", ["postgres:postgres", dir]);
    const pg = new PostgresServer(bin, dir, freePort(), asRoot);
    await pg.#exec(`${bin}/initdb`, [
      "-D",
      `${dir}/data`,
      "-U",
      "postgres",
      "--auth-local=trust",
      "--auth-host=md5",
      "-E",
      "UTF8",
      "--no-sync",
    ]);
    // Trust on 127.0.0.1 for the superuser, passwords for everyone else.
    const hba = `host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 md5\n` +
      `local all all trust\n`;
    await Deno.writeTextFile(`${dir}/data/pg_hba.conf`, hba);
    await pg.up();
    await pg.query("CREATE USER sluice WITH PASSWORD 'secret'");
    for (const db of ["fluentbit", ...(options.databases ?? [])]) {
      await pg.query(`CREATE DATABASE "${db}" OWNER sluice`);
    }
    return pg;
  }

  async #exec(cmd: string, args: string[]): Promise<void> {
    const [c, a] = this.#asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
    await run(c, a);
  }

  /** Starts the server (again) and waits until it accepts connections. */
  async up(): Promise<void> {
    const args = [
      "-D",
      `${this.dir}/data`,
      "-p",
      String(this.port),
      "-k",
      this.dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "TimeZone=UTC",
    ];
    const [c, a] = this.#asRoot
      ? ["runuser", ["-u", "postgres", "--", `${this.#bin}/postgres`, ...args]]
      : [`${this.#bin}/postgres`, args];
    const child = new Deno.Command(c, { args: a, stdout: "piped", stderr: "piped" }).spawn();
    this.#child = child;
    const dec = new TextDecoder();
    let ready!: () => void;
    const isReady = new Promise<void>((r) => (ready = r));
    const pump = async (s: ReadableStream<Uint8Array>) => {
      for await (const piece of s) {
        this.#log += dec.decode(piece, { stream: true });
        if (this.#log.includes("ready to accept connections")) ready();
      }
    };
    void pump(child.stdout);
    void pump(child.stderr);
    const exited = child.status.then((s) => {
      throw new Error(`postgres exited with ${s.code}: ${this.#log}`);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`postgres not ready: ${this.#log}`)), 30_000);
    });
    try {
      await Promise.race([isReady, exited, late]);
    } finally {
      clearTimeout(timer);
    }
    this.#log = "";
  }

  /** Fast shutdown (SIGINT: connections are closed); resolves when it has exited. */
  async down(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (!child) return;
    // The postmaster's own pid (runuser does not pass signals on).
    const pidText = await Deno.readTextFile(`${this.dir}/data/postmaster.pid`).catch(() => "");
    const pid = Number(pidText.split("\n")[0]);
    try {
      if (pid > 0) Deno.kill(pid, "SIGINT");
      else child.kill("SIGINT");
    } catch {
      // gone
    }
    await child.status;
  }

  /** Runs `sql` as the superuser on `database` and returns the rows. */
  async query(
    sql: string,
    database = "postgres",
  ): Promise<Record<string, unknown>[]> {
    const client = postgres({
      host: "127.0.0.1",
      port: this.port,
      user: "postgres",
      database,
      max: 1,
      onnotice: () => {},
    });
    try {
      const rows = await client.unsafe(sql);
      return rows.map((r) => ({ ...r }));
    } finally {
      await client.end({ timeout: 5 });
    }
  }

  /** Stops the server and removes its files. */
  async stop(): Promise<void> {
    await this.down();
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    const dec = new TextDecoder();
    throw new Error(
      `${cmd} ${args.join(" ")} failed: ${dec.decode(out.stderr)}${dec.decode(out.stdout)}`,
    );
  }
}
