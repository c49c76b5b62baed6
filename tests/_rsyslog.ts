/**
 * A real rsyslog for end-to-end tests: `rsyslogd -n` with its own config, work dir and
 * pid file in a temp dir, listening on 127.0.0.1 only, under `timeout` so that it stops
 * by itself even when the test does not. Every config gets a TCP control input on
 * `controlPort`, so the test knows when rsyslog is up (it accepts a connection).
 */
import { freePort, waitFor } from "./_helpers.ts";

/** Where rsyslogd is installed (Debian's `rsyslog` package). */
export const RSYSLOGD = Deno.env.get("RSYSLOGD") ?? "/usr/sbin/rsyslogd";

/** Seconds after which rsyslog is killed whatever the test does. */
const LIFETIME_SECONDS = 180;

/** True when rsyslogd is installed; tests skip with a message otherwise. */
export function hasRsyslog(): boolean {
  try {
    return Deno.statSync(RSYSLOGD).isFile;
  } catch {
    return false;
  }
}

/** The reason to print when the rsyslog tests are skipped. */
export const RSYSLOG_SKIP =
  `rsyslogd not found at ${RSYSLOGD} (apt-get install rsyslog, or set RSYSLOGD): ` +
  "rsyslog interop tests skipped";

/** A running rsyslog. */
export interface Rsyslog {
  /** Its temp dir (config, work dir, pid file, output files). */
  dir: string;
  /** The port of its TCP control input. */
  controlPort: number;
  /** The lines of `file` (relative to `dir`) written so far. */
  lines(file: string): string[];
  /** Stops it (SIGTERM, then SIGKILL) and removes its dir; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts rsyslog with `config(dir)` (RainerScript; paths inside `dir`) and waits until it
 * accepts connections on its control input.
 */
export async function startRsyslog(config: (dir: string) => string): Promise<Rsyslog> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_rsyslog_" });
  const controlPort = freePort();
  const conf = `global(workDirectory="${dir}" maxMessageSize="64k")
module(load="imtcp")
module(load="imudp")
input(type="imtcp" address="127.0.0.1" port="${controlPort}" ruleset="control")
ruleset(name="control") { stop }
${config(dir)}
`;
  await Deno.writeTextFile(`${dir}/rsyslog.conf`, conf);
  const child = new Deno.Command("timeout", {
    args: [
      "-s",
      "KILL",
      String(LIFETIME_SECONDS),
      RSYSLOGD,
      "-n",
      "-f",
      `${dir}/rsyslog.conf`,
      "-i",
      `${dir}/rsyslogd.pid`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  let stopped: Promise<void> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // already exited
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // exited meanwhile
        }
      }, 10_000);
      await output;
      clearTimeout(timer);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    })();
  try {
    await waitFor(async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: controlPort });
      conn.close();
      return true;
    }, { timeoutMs: 20_000, what: "rsyslogd accepting on its control port" });
  } catch (e) {
    await stop();
    const out = await output;
    throw new Error(
      `rsyslogd did not start: ${new TextDecoder().decode(out.stderr)}${
        new TextDecoder().decode(out.stdout)
      }`,
      { cause: e },
    );
  }
  return {
    dir,
    controlPort,
    lines(file) {
      try {
        return Deno.readTextFileSync(`${dir}/${file}`).split("\n").filter((l) => l !== "");
      } catch {
        return [];
      }
    },
    stop,
  };
}
