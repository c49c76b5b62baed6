/**
 * Helpers for the tcp/udp end-to-end tests: a service whose network input listens on a
 * free port (read back from its log), and plain socket senders.
 */
import { writeAll } from "../src/engine/write_all.ts";
import { until } from "../src/testing/until.ts";
import { type RunningService, startService } from "./_delivery.ts";

/** A running service and the port its first network input bound. */
export interface NetService extends RunningService {
  port: number;
}

/** Starts `yaml` (inputs with `port: 0`) and waits for the input's "listening on" line. */
export async function startNetService(dir: string, yaml: string): Promise<NetService> {
  const service = await startService(dir, yaml);
  const port = () => {
    for (const line of service.lines) {
      const m = /listening on (?:udp )?[\d.]+:(\d+)/.exec(line);
      if (m) return Number(m[1]);
    }
    return 0;
  };
  try {
    return Object.assign(service, {
      port: await until(port, "the input to report its port", { timeout: 10_000, interval: 20 }),
    });
  } catch {
    await service.stop();
    throw new Error(`The input did not report its port:\n${service.lines.join("")}`);
  }
}

/** Opens a TCP connection to 127.0.0.1:`port`, writes `text` and closes it. */
export async function sendTcp(port: number, text: string | Uint8Array): Promise<void> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await writeAll(conn, typeof text === "string" ? new TextEncoder().encode(text) : text);
  } finally {
    conn.close();
  }
}

/** `n` JSON lines `{"id":from+i,"pad":"x..."}`, about `width` bytes each. */
export function jsonLines(from: number, n: number, width = 100): string {
  let text = "";
  const pad = "x".repeat(Math.max(0, width - 30));
  for (let i = from; i < from + n; i++) text += `{"id":${i},"pad":"${pad}"}\n`;
  return text;
}

/** Ids in `records` (`id` keys), with how often each came. */
export function idsOf(records: readonly Record<string, unknown>[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const r of records) {
    if (typeof r.id !== "number") continue;
    counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
  }
  return counts;
}

/** Checks ids `0..n-1` each arrived exactly once; returns a description of what is wrong. */
export function exactlyOnce(counts: Map<number, number>, n: number): string {
  const missing: number[] = [];
  const dup: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = counts.get(i) ?? 0;
    if (c === 0) missing.push(i);
    if (c > 1) dup.push(i);
  }
  if (missing.length === 0 && dup.length === 0) return "ok";
  return `missing ${missing.length} (first ${missing.slice(0, 5)}), ` +
    `duplicated ${dup.length} (first ${dup.slice(0, 5)})`;
}

/** `service` keys for retries 50 ms apart, at most 200 ms. */
export const FAST_RETRY: readonly string[] = ["scheduler.base: 0.05", "scheduler.cap: 0.2"];

/** An `inputs:` or `outputs:` list entry of plugin `name` with `keys` (`key: value` lines). */
export function entry(name: string, keys: readonly string[] = []): string {
  return [`    - name: ${name}`, ...keys.map((k) => `      ${k}`)].join("\n") + "\n";
}

/** A tcp input entry on 127.0.0.1 with a free port (read back by {@link startNetService}). */
export function tcpIn(keys: readonly string[] = []): string {
  return entry("tcp", ["listen: 127.0.0.1", "port: 0", ...keys]);
}

/** A tcp output entry to 127.0.0.1:`port` matching every tag. */
export function tcpOut(port: number, keys: readonly string[] = []): string {
  return entry("tcp", ['match: "*"', "host: 127.0.0.1", `port: ${port}`, ...keys]);
}

/** A config of `inputs` and `outputs` (joined {@link entry}s), flush 0.1 s, grace 2 s, more `service` keys. */
export function netConfig(
  inputs: string,
  outputs: string,
  service: readonly string[] = [],
): string {
  const more = service.map((k) => `  ${k}\n`).join("");
  return `service:\n  flush: 0.1\n  grace: 2\n${more}pipeline:\n  inputs:\n${inputs}  outputs:\n${outputs}`;
}
