/**
 * A Splunk HTTP Event Collector for tests, on 127.0.0.1, answering as HEC documents
 * (`POST /services/collector/event`, concatenated JSON events, gzip allowed): 200
 * `{"text":"Success","code":0}`; 401 `{"text":"Token is required","code":2}` without a
 * token; 403 `{"text":"Invalid token","code":4}` for a wrong one; 400 with `code` and
 * `invalid-event-number` for the first bad event (no `event`, blank event, an index not
 * allowed, unparsable JSON), the events before it being kept; 503 `Server is busy` when told.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const hec = await SplunkReceiver.start({ token: "t" });
 * const post = (body: string) =>
 *   fetch(`http://127.0.0.1:${hec.port}/services/collector/event`, {
 *     method: "POST",
 *     headers: { authorization: "Splunk t" },
 *     body,
 *   }).then(async (r) => [r.status, await r.json()]);
 * assertEquals(await post('{"event":"a"}{"time":1}'), [400, {
 *   text: "Event field is required",
 *   code: 12,
 *   "invalid-event-number": 1,
 * }]);
 * assertEquals(hec.events().map((e) => e.event), ["a"]);
 * await hec.stop();
 * ```
 */

import { requestBody, RestartableReceiver } from "./restartable_server.ts";

/** One request as received. */
export interface HecRequest {
  /** The request path. */
  path: string;
  /** The request headers. */
  headers: Headers;
  /** The body, gunzipped. */
  text: string;
  /** The status answered. */
  status: number;
}

/** How the receiver answers, besides its HEC rules. */
export type HecMode =
  /** Answer by the service's rules. */
  | { kind: "ok" }
  /** The next `times` requests (all when unset) get `status` with HEC's body for it. */
  | { kind: "status"; status: number; times?: number };

/** Receiver settings. */
export interface SplunkReceiverOptions {
  /** The port to listen on (a free one by default). */
  port?: number;
  /** The valid HEC token (also accepted as the Basic auth password). */
  token?: string;
  /** Indexes events may name; any when unset. */
  indexes?: readonly string[];
  /** Require X-Splunk-Request-Channel. */
  requireChannel?: boolean;
}

const BODIES: Record<number, { text: string; code: number }> = {
  503: { text: "Server is busy", code: 9 },
  500: { text: "Internal server error", code: 8 },
  429: { text: "Server is busy", code: 9 },
};

/** Splits concatenated JSON values; throws SyntaxError at the first bad one. */
function* jsonValues(text: string): Generator<unknown> {
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) return;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /\s/.test(c)) break;
    }
    yield JSON.parse(text.slice(start, i));
  }
}

/** The receiver. */
export class SplunkReceiver extends RestartableReceiver {
  /** Every request received, in order. */
  readonly requests: HecRequest[] = [];
  /** How requests are answered from now on. */
  mode: HecMode = { kind: "ok" };
  #events: Record<string, unknown>[] = [];
  #o: SplunkReceiverOptions;

  private constructor(o: SplunkReceiverOptions) {
    super(o);
    this.#o = o;
  }

  /** Starts listening. */
  static async start(o: SplunkReceiverOptions = {}): Promise<SplunkReceiver> {
    const rx = new SplunkReceiver(o);
    await rx.up();
    return rx;
  }

  /** Indexed events, in order. */
  events(): Record<string, unknown>[] {
    return [...this.#events];
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = new TextDecoder().decode(await requestBody(req));
    const seen: HecRequest = { path: url.pathname, headers: req.headers, text, status: 0 };
    this.requests.push(seen);
    const answer = (status: number, body: Record<string, unknown>) => {
      seen.status = status;
      return Response.json(body, { status });
    };
    if (req.method !== "POST" || !url.pathname.startsWith("/services/collector")) {
      return answer(404, { text: "The requested URL was not found on this server.", code: 404 });
    }
    const auth = req.headers.get("authorization");
    if (!auth) return answer(401, { text: "Token is required", code: 2 });
    const token = auth.startsWith("Splunk ")
      ? auth.slice(7)
      : auth.startsWith("Basic ")
      ? atob(auth.slice(6)).split(":").slice(1).join(":")
      : undefined;
    if (token === undefined) return answer(401, { text: "Invalid authorization", code: 3 });
    if (this.#o.token !== undefined && token !== this.#o.token) {
      return answer(403, { text: "Invalid token", code: 4 });
    }
    if (this.#o.requireChannel && !req.headers.has("x-splunk-request-channel")) {
      return answer(400, { text: "Data channel is missing", code: 10 });
    }
    const mode = this.mode;
    if (mode.kind === "status") {
      if (mode.times !== undefined && --mode.times <= 0) this.mode = { kind: "ok" };
      return answer(mode.status, BODIES[mode.status] ?? { text: "Error", code: 8 });
    }
    if (text.trim() === "") return answer(400, { text: "No data", code: 5 });
    let n = 0;
    try {
      for (const v of jsonValues(text)) {
        const e = v as Record<string, unknown>;
        if (e === null || typeof e !== "object" || !("event" in e)) {
          return answer(400, {
            text: "Event field is required",
            code: 12,
            "invalid-event-number": n,
          });
        }
        if (e.event === "" || e.event === null) {
          return answer(400, {
            text: "Event field cannot be blank",
            code: 13,
            "invalid-event-number": n,
          });
        }
        if (
          this.#o.indexes && e.index !== undefined && !this.#o.indexes.includes(String(e.index))
        ) {
          return answer(400, { text: "Incorrect index", code: 7, "invalid-event-number": n });
        }
        this.#events.push(e);
        n++;
      }
    } catch {
      return answer(400, { text: "Invalid data format", code: 6, "invalid-event-number": n });
    }
    return answer(200, { text: "Success", code: 0 });
  }
}
