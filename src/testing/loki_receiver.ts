/**
 * A Loki push endpoint for tests, on 127.0.0.1, answering as Loki's distributor and
 * ingester do (`POST /loki/api/v1/push`, any prefix allowed so one receiver serves
 * several outputs, JSON, gzip allowed): 204 when every entry is
 * kept; with ordered writes, entries older than their stream's newest are refused with
 * 400 and Loki's text (`entry with timestamp ... ignored, reason: 'entry out of order',`
 * per entry, then `user 'T', total ignored: N out of M for stream: {labels}`) while the
 * others are kept; `entry too far behind` for entries older than `maxAgeNs` before the
 * newest; 401 for bad credentials; 429 with Loki's rate-limit text when told to.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const loki = await LokiReceiver.start({ ordered: true });
 * const push = (ns: string) =>
 *   fetch(`http://127.0.0.1:${loki.port}/loki/api/v1/push`, {
 *     method: "POST",
 *     headers: { "content-type": "application/json" },
 *     body: JSON.stringify({ streams: [{ stream: { job: "a" }, values: [[ns, "x"]] }] }),
 *   });
 * assertEquals((await push("2000")).status, 204);
 * const late = await push("1000");
 * assertEquals(late.status, 400);
 * assertEquals((await late.text()).includes("entry out of order"), true);
 * assertEquals(loki.entries().length, 1);
 * await loki.stop();
 * ```
 */

import { requestBody, RestartableReceiver } from "./restartable_server.ts";

/** One kept entry. */
export interface LokiEntry {
  /** X-Scope-OrgID (`fake` without one, as Loki names the single tenant). */
  tenant: string;
  /** `{a="x", b="y"}`. */
  stream: string;
  /** The stream's labels as sent. */
  labels: Record<string, string>;
  /** The nanosecond timestamp as sent. */
  ns: string;
  /** The log line. */
  line: string;
  /** Structured metadata (the third element), when sent. */
  metadata?: Record<string, string>;
}

/** One request as received. */
export interface LokiRequestSeen {
  /** The request path. */
  path: string;
  /** The request headers. */
  headers: Headers;
  /** The body, gunzipped. */
  text: string;
  /** The status answered. */
  status: number;
}

/** How the receiver answers, besides its Loki rules. */
export type LokiMode =
  /** Answer by the service's rules. */
  | { kind: "ok" }
  /** The next `times` pushes (all when unset) get `status` with Loki's text for it. */
  | { kind: "status"; status: number; retryAfter?: string; times?: number };

/** Receiver settings. */
export interface LokiReceiverOptions {
  /** The port to listen on (a free one by default). */
  port?: number;
  /** Refuse entries older than their stream's newest (Loki before 2.4, or unordered_writes off). */
  ordered?: boolean;
  /** Refuse entries more than this many ns before their stream's newest ("too far behind"). */
  maxAgeNs?: bigint;
  /** Require `Authorization: Basic` with this user and password. */
  basic?: [string, string];
  /** Require `Authorization: Bearer` with this token. */
  bearer?: string;
  /** Require X-Scope-OrgID (multi-tenant Loki). */
  multiTenant?: boolean;
  /** Serve HTTPS with this certificate and key (PEM). */
  tls?: { cert: string; key: string };
}

function goTime(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const frac = String(ns % 1_000_000_000n).padStart(9, "0").replace(/0+$/, "");
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${frac ? `.${frac}` : ""} +0000 UTC`;
}

function rfc3339(ns: bigint): string {
  return new Date(Number(ns / 1_000_000n)).toISOString().replace(/\.\d+Z$/, "Z");
}

/** Loki's stream name: labels sorted by name, values quoted. */
export function lokiStreamName(labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(", ")}}`;
}

/** The receiver. */
export class LokiReceiver extends RestartableReceiver {
  /** Every push received, in order. */
  readonly requests: LokiRequestSeen[] = [];
  /** How pushes are answered from now on. */
  mode: LokiMode = { kind: "ok" };
  #entries: LokiEntry[] = [];
  #newest = new Map<string, bigint>();
  #o: LokiReceiverOptions;

  private constructor(o: LokiReceiverOptions) {
    super(o);
    this.#o = o;
  }

  /** Starts listening. */
  static async start(o: LokiReceiverOptions = {}): Promise<LokiReceiver> {
    const rx = new LokiReceiver(o);
    await rx.up();
    return rx;
  }

  /** Kept entries, in arrival order. */
  entries(): LokiEntry[] {
    return [...this.#entries];
  }

  /** Kept lines, in arrival order. */
  lines(): string[] {
    return this.#entries.map((e) => e.line);
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = new TextDecoder().decode(await requestBody(req));
    const seen: LokiRequestSeen = { path: url.pathname, headers: req.headers, text, status: 0 };
    this.requests.push(seen);
    const answer = (status: number, body = "", headers: Record<string, string> = {}) => {
      seen.status = status;
      return new Response(status === 204 ? null : body, {
        status,
        headers: status === 204
          ? headers
          : { "content-type": "text/plain; charset=utf-8", ...headers },
      });
    };
    if (req.method !== "POST" || !url.pathname.endsWith("/loki/api/v1/push")) {
      return answer(404, "404 page not found\n");
    }
    const auth = req.headers.get("authorization") ?? "";
    if (this.#o.basic && auth !== `Basic ${btoa(this.#o.basic.join(":"))}`) {
      return answer(401, "Unauthorized\n");
    }
    if (this.#o.bearer !== undefined && auth !== `Bearer ${this.#o.bearer}`) {
      return answer(401, "Unauthorized\n");
    }
    const tenant = req.headers.get("x-scope-orgid") ?? "fake";
    if (this.#o.multiTenant && !req.headers.has("x-scope-orgid")) {
      return answer(401, "no org id\n");
    }
    const mode = this.mode;
    if (mode.kind === "status") {
      if (mode.times !== undefined && --mode.times <= 0) this.mode = { kind: "ok" };
      const body = mode.status === 429
        ? `Ingestion rate limit exceeded for user ${tenant} (limit: 4194304 bytes/sec) while ` +
          "attempting to ingest '1' lines totaling '10' bytes, reduce log volume or contact " +
          "your Loki administrator to see if the limit can be increased\n"
        : `${mode.status}\n`;
      return answer(mode.status, body, mode.retryAfter ? { "retry-after": mode.retryAfter } : {});
    }
    if (!(req.headers.get("content-type") ?? "").startsWith("application/json")) {
      return answer(415, "unsupported Content-Type\n");
    }
    let push: { streams?: { stream?: Record<string, string>; values?: unknown[][] }[] };
    try {
      push = JSON.parse(text);
    } catch (e) {
      return answer(400, `loghttp.PushRequest.Streams: ${(e as Error).message}\n`);
    }
    let error = "";
    for (const s of push.streams ?? []) {
      const labels = s.stream ?? {};
      if (Object.keys(labels).length === 0) {
        error = "error at least one label pair is required per stream";
        continue;
      }
      const name = lokiStreamName(labels);
      const failed: string[] = [];
      const values = s.values ?? [];
      for (const v of values) {
        const ns = BigInt(String(v[0]));
        const newest = this.#newest.get(`${tenant} ${name}`);
        let reason: string | undefined;
        if (
          newest !== undefined && this.#o.maxAgeNs !== undefined && ns < newest - this.#o.maxAgeNs
        ) {
          reason = `entry too far behind, entry timestamp is: ${rfc3339(ns)}, oldest acceptable ` +
            `timestamp is: ${rfc3339(newest - this.#o.maxAgeNs)}`;
        } else if (newest !== undefined && this.#o.ordered && ns < newest) {
          reason = "entry out of order";
        }
        if (reason) {
          failed.push(`entry with timestamp ${goTime(ns)} ignored, reason: '${reason}',\n`);
          continue;
        }
        if (newest === undefined || ns > newest) this.#newest.set(`${tenant} ${name}`, ns);
        const entry: LokiEntry = {
          tenant,
          stream: name,
          labels,
          ns: String(v[0]),
          line: String(v[1]),
        };
        if (v[2] !== undefined) entry.metadata = v[2] as Record<string, string>;
        this.#entries.push(entry);
      }
      if (failed.length > 0) {
        // Loki lists at most 10 entries (max_returned_stream_errors) and reports the last stream.
        error = failed.slice(0, 10).join("") +
          `user '${tenant}', total ignored: ${failed.length} out of ${values.length} for stream: ${name}`;
      }
    }
    return error ? answer(400, `${error}\n`) : answer(204);
  }
}
