/**
 * Real Prometheus peers for the metrics tests: a `prometheus` server (apt `prometheus`) on
 * 127.0.0.1 with its own temp dir, scraping given targets every second and optionally
 * receiving remote write, queried through its HTTP API; and `prometheus-node-exporter`.
 * Both are absent on a machine without the packages: callers skip with {@link NO_PROMETHEUS}.
 */
import { until } from "./until.ts";

/** The skip message when the binaries are missing. */
export const NO_PROMETHEUS = "skipped: prometheus / prometheus-node-exporter not installed " +
  "(apt-get install prometheus prometheus-node-exporter; .ci/run installs them)";

/** The path of `name` on PATH (or in /usr/bin), or null. */
export async function binaryPath(name: string): Promise<string | null> {
  for (const dir of [...(Deno.env.get("PATH") ?? "").split(":"), "/usr/bin", "/usr/sbin"]) {
    if (dir === "") continue;
    try {
      const st = await Deno.stat(`${dir}/${name}`);
      if (st.isFile) return `${dir}/${name}`;
    } catch {
      // not here
    }
  }
  return null;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A value of the query API: a number, or `NaN`, `+Inf`, `-Inf`. */
function promNumber(s: string): number {
  if (s === "+Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  return Number(s);
}

/** One sample of an instant query. */
export interface QuerySample {
  /** The series' labels, `__name__` included. */
  metric: Record<string, string>;
  /** Its value (NaN and ±Infinity as numbers). */
  value: number;
}

/** A running peer process with its port. */
export class PeerProcess {
  /** The port it listens on. */
  readonly port: number;
  /** Its own temp dir, removed by {@link stop}. */
  readonly dir: string;
  #child: Deno.ChildProcess;
  #log = "";
  #done: Promise<void>;

  /** Wraps a spawned `child` (its output collected) listening on `port`, owning `dir`. */
  constructor(child: Deno.ChildProcess, port: number, dir: string) {
    this.#child = child;
    this.port = port;
    this.dir = dir;
    const dec = new TextDecoder();
    const pump = async (s: ReadableStream<Uint8Array>) => {
      for await (const piece of s) this.#log += dec.decode(piece, { stream: true });
    };
    this.#done = Promise.all([pump(child.stdout), pump(child.stderr), child.status]).then(() => {});
  }

  /** What the process printed. */
  log(): string {
    return this.#log;
  }

  /** Stops the process (SIGTERM, SIGKILL after 10 s) and removes its directory. */
  async stop(): Promise<void> {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        this.#child.kill("SIGKILL");
      } catch {
        // gone
      }
    }, 10_000);
    await this.#done;
    clearTimeout(timer);
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }
}

/** What a Prometheus server is started with. */
export interface PrometheusStart {
  /** `host:port` targets scraped every second as job `sluice`. */
  targets?: string[];
  /** Accept remote write on `/api/v1/write`. */
  remoteWrite?: boolean;
}

/** A running Prometheus server. */
export class PrometheusServer extends PeerProcess {
  /** Starts one, or returns null when the binary is missing. */
  static async start(options: PrometheusStart = {}): Promise<PrometheusServer | null> {
    const bin = await binaryPath("prometheus");
    if (bin === null) return null;
    const dir = await Deno.makeTempDir({ prefix: "sluice_prometheus_" });
    const targets = (options.targets ?? []).map((t) => `"${t}"`).join(", ");
    const config = [
      "global:",
      "  scrape_interval: 1s",
      "  evaluation_interval: 1s",
      "scrape_configs:",
      ...(targets === "" ? [] : [
        "  - job_name: sluice",
        "    scrape_interval: 1s",
        `    static_configs: [{ targets: [${targets}] }]`,
      ]),
      "",
    ].join("\n");
    await Deno.writeTextFile(`${dir}/prometheus.yml`, config);
    const port = freePort();
    const args = [
      `--config.file=${dir}/prometheus.yml`,
      `--storage.tsdb.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ];
    if (options.remoteWrite) args.push("--web.enable-remote-write-receiver");
    const child = new Deno.Command(bin, { args, stdout: "piped", stderr: "piped", stdin: "null" })
      .spawn();
    const server = new PrometheusServer(child, port, dir);
    try {
      await until(
        async () => {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/-/ready`);
            await res.body?.cancel();
            return res.ok;
          } catch {
            return false;
          }
        },
        "Prometheus to be ready",
        { timeout: 30_000, interval: 100 },
      );
    } catch (e) {
      await server.stop();
      throw new Error(`${e}\n${server.log()}`);
    }
    return server;
  }

  /** The samples of instant query `promql`. */
  async query(promql: string): Promise<QuerySample[]> {
    const url = `http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(promql)}`;
    const body = await (await fetch(url)).json();
    if (body.status !== "success") throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
    return (body.data.result as { metric: Record<string, string>; value: [number, string] }[])
      .map((r) => ({ metric: r.metric, value: promNumber(r.value[1]) }));
  }
}

/** A running node exporter. */
export class NodeExporter extends PeerProcess {
  /** Starts one, or returns null when the binary is missing. */
  static async start(): Promise<NodeExporter | null> {
    const bin = await binaryPath("prometheus-node-exporter");
    if (bin === null) return null;
    const dir = await Deno.makeTempDir({ prefix: "sluice_node_exporter_" });
    const port = freePort();
    const child = new Deno.Command(bin, {
      args: [`--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    const ne = new NodeExporter(child, port, dir);
    try {
      await until(
        async () => {
          try {
            const res = await fetch(`http://127.0.0.1:${port}/metrics`);
            await res.body?.cancel();
            return res.ok;
          } catch {
            return false;
          }
        },
        "node_exporter to serve",
        { timeout: 20_000, interval: 100 },
      );
    } catch (e) {
      await ne.stop();
      throw new Error(`${e}\n${ne.log()}`);
    }
    return ne;
  }
}
