/**
 * Helpers for the forward tests: the sluice CLI run as a child whose output is collected,
 * and the agent → aggregator chain's configs (tail with filesystem storage → forward with
 * acks → forward input → http sink).
 */
import { CHUNK_MAX_BYTES } from "../src/event/chunk.ts";
import { numberedLine } from "./_delivery.ts";
import { spawnSluice } from "./_helpers.ts";

/** A sluice child started by {@link runSluice}. */
export interface SluiceChild {
  /** Everything written to stdout so far (empty when stdout was not collected). */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Sends SIGTERM (if still running), waits for the exit and the collected output. */
  stop(): Promise<Deno.CommandStatus>;
}

/** What {@link runSluice} collects. */
export interface RunSluiceOptions {
  /** Collect stdout (default true); false cancels it. */
  stdout?: boolean;
}

/** Runs `sluice -c <config>` and collects its stdout and stderr. */
export function runSluice(config: string, options: RunSluiceOptions = {}): SluiceChild {
  const child = spawnSluice(["-c", config]);
  let out = "";
  let err = "";
  const dec = new TextDecoder();
  const pumps = Promise.all([
    options.stdout === false ? child.stdout.cancel() : (async () => {
      for await (const b of child.stdout) out += dec.decode(b, { stream: true });
    })(),
    (async () => {
      for await (const b of child.stderr) err += dec.decode(b, { stream: true });
    })(),
  ]);
  return {
    stdout: () => out,
    stderr: () => err,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch {
        // exited
      }
      const status = await child.status;
      await pumps;
      return status;
    },
  };
}

/** Runs `sluice -c <config>` with its output drained, for the chain tests that kill it. */
export function startDrained(config: string): Deno.ChildProcess {
  const child = spawnSluice(["-c", config]);
  // Drained, not cancelled: a closed pipe would fail sluice's log writes.
  child.stdout.pipeTo(new WritableStream()).catch(() => {});
  child.stderr.pipeTo(new WritableStream()).catch(() => {});
  return child;
}

/** Sends SIGTERM to each child still running (null entries skipped) and waits for each. */
export async function stopAll(children: readonly (Deno.ChildProcess | null)[]): Promise<void> {
  for (const c of children) {
    if (!c) continue;
    try {
      c.kill("SIGTERM");
    } catch {
      // exited
    }
    await c.status;
  }
}

/**
 * The tail input of the crash tests: `dir/in.log` from its head, a `db`, filesystem
 * storage, as an `inputs:` list entry.
 */
export function storedTail(dir: string): string {
  return `    - name: tail
      path: ${dir}/in.log
      read_from_head: true
      db: ${dir}/tail.db
      refresh_interval: 1
      storage.type: filesystem
`;
}

/** What {@link chainAgent} adds to its config; each list holds `key: value` lines. */
export interface ChainAgentOptions {
  /** More keys of the `service` section. */
  service?: readonly string[];
  /** More keys of the forward output. */
  output?: readonly string[];
}

/** The chain's common `service` keys: fast flush, fast retries, storage under `store`. */
function chainService(store: string, more: readonly string[] = []): string {
  return `service:
  flush: 0.2
  grace: 2
  scheduler.base: 0.2
  scheduler.cap: 1
${more.map((k) => `  ${k}\n`).join("")}  storage.path: ${store}
`;
}

/** The agent: {@link storedTail} → forward to 127.0.0.1:`aggPort` with acks, retried forever. */
export function chainAgent(dir: string, aggPort: number, options: ChainAgentOptions = {}): string {
  return `${chainService(`${dir}/agent_store`, options.service)}pipeline:
  inputs:
${storedTail(dir)}  outputs:
    - name: forward
      match: "*"
      host: 127.0.0.1
      port: ${aggPort}
      require_ack_response: true
      retry_limit: no_limits
      net.io_timeout: 5s
${(options.output ?? []).map((k) => `      ${k}\n`).join("")}`;
}

/** The aggregator: forward input on `aggPort` (filesystem storage) → http to `sinkPort`. */
export function chainAggregator(dir: string, aggPort: number, sinkPort: number): string {
  return `${chainService(`${dir}/agg_store`)}pipeline:
  inputs:
    - { name: forward, listen: 127.0.0.1, port: ${aggPort}, storage.type: filesystem }
  outputs:
    - name: http
      match: "*"
      port: ${sinkPort}
      format: json_lines
      retry_limit: no_limits
`;
}

/** Deliveries beyond the first, summed over `counts` (from `idCounts`). */
export function duplicateCount(counts: Map<number, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c - 1;
  return n;
}

/**
 * Duplicates one stop or kill may cause: the forward output's 2 workers' chunks and one
 * more the sink took but storage had not yet dropped, each at most CHUNK_MAX_BYTES of lines.
 */
export function inFlightLines(): number {
  return 3 * Math.ceil(CHUNK_MAX_BYTES / (numberedLine(0).length + 1));
}
