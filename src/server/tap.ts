/**
 * `GET /api/v2/tap`: streams the records passing tap points of the running pipeline as JSON
 * lines (chunked, until the client goes away or the server closes), for `sluice tap`. Query:
 * `point` (input, filter, output; comma list), `name` and `tag` (patterns with `*`), `rate`
 * (records per second at most) and `sample` (0 to 1).
 */
import type { TapPoint, TapRequest, Taps } from "../engine/taps.ts";
import { jsonResponse, methodNotAllowed } from "./responses.ts";

const POINTS: readonly TapPoint[] = ["input", "filter", "output"];
const encoder = new TextEncoder();

/** Parses the query of a tap request; a message when a value is wrong. */
export function parseTapQuery(query: string): TapRequest | string {
  const q = new URLSearchParams(query);
  const points = (q.get("point") ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
  const bad = points.find((p) => !POINTS.includes(p as TapPoint));
  if (bad) return `point "${bad}": expected input, filter or output`;
  const rate = Number(q.get("rate") ?? 0);
  if (!Number.isFinite(rate) || rate < 0) return `rate "${q.get("rate")}": expected a number >= 0`;
  const sample = Number(q.get("sample") ?? 1);
  if (!(sample >= 0 && sample <= 1)) return `sample "${q.get("sample")}": expected 0 to 1`;
  return {
    points: points as TapPoint[],
    name: q.get("name") ?? undefined,
    tag: q.get("tag") ?? undefined,
    rate,
    sample,
  };
}

/** The tap endpoint: one stream per client, all ended when the server closes. */
export class TapEndpoint {
  #taps: () => Taps | undefined;
  #open = new Set<() => void>();

  constructor(taps: () => Taps | undefined) {
    this.#taps = taps;
  }

  /** Answers one request. */
  handle(req: { method: string; query: string }): Response {
    if (req.method !== "GET") return methodNotAllowed(req.method, ["GET"]);
    const taps = this.#taps();
    if (!taps) return jsonResponse({ status: "error", message: "taps are not available" }, 404);
    const request = parseTapQuery(req.query);
    if (typeof request === "string") {
      return jsonResponse({ status: "error", message: request }, 400);
    }
    let detach = () => {};
    let end = () => {};
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        end = () => {
          detach();
          this.#open.delete(end);
          try {
            controller.close();
          } catch {
            // already closed
          }
        };
        this.#open.add(end);
        detach = taps.attach(request, (line) => {
          // A client that does not read fast enough loses lines rather than memory.
          if ((controller.desiredSize ?? 0) > 0) controller.enqueue(encoder.encode(`${line}\n`));
        });
        controller.enqueue(encoder.encode(`${JSON.stringify({ tap: "attached", ...request })}\n`));
      },
      cancel: () => end(),
    }, { highWaterMark: 1024 });
    return new Response(body, {
      headers: { "content-type": "application/x-ndjson", "transfer-encoding": "chunked" },
    });
  }

  /** Ends every open stream (the server is closing). */
  close(): void {
    for (const end of [...this.#open]) end();
  }
}
