/**
 * `/api/v2/reload`: GET reports the reload count, POST/PUT triggers a hot reload, with
 * Fluent Bit's bodies (`{"reload":"done","status":0}`, `"not enabled"` -1, `"in progress"` -2).
 */

import type { Logger } from "../engine/log.ts";
import { jsonResponse, methodNotAllowed } from "./responses.ts";

/** The outcome of one reload, as the engine reports it. */
export interface ReloadResult {
  ok: boolean;
  message: string;
}

/** What the endpoint needs from the engine; `reload` absent means hot reload is disabled. */
export interface ReloadHooks {
  reload?: () => Promise<ReloadResult>;
  reloadCount?: () => number;
}

/**
 * Serves `/api/v2/reload`, allowing one reload at a time. A reload still running when the
 * server closes is answered 202 at once, so closing the server from inside a reload (a new
 * pipeline replacing the old one) cannot deadlock on its own request.
 */
export class ReloadEndpoint {
  #hooks: ReloadHooks;
  #log: Logger;
  #running = false;
  #closed: Promise<void>;
  #close!: () => void;

  constructor(hooks: ReloadHooks, log: Logger) {
    this.#hooks = hooks;
    this.#log = log;
    this.#closed = new Promise((resolve) => (this.#close = resolve));
  }

  /** Answers reload requests still waiting, before the server shuts down. */
  close(): void {
    this.#close();
  }

  /** Handles one request to `/api/v2/reload`. */
  async handle(req: { method: string }): Promise<Response> {
    if (req.method === "GET" || req.method === "HEAD") {
      return jsonResponse({ hot_reload_count: this.#hooks.reloadCount?.() ?? 0 });
    }
    if (req.method !== "POST" && req.method !== "PUT") {
      return methodNotAllowed(req.method, ["GET", "POST", "PUT"]);
    }
    const reload = this.#hooks.reload;
    if (!reload) return jsonResponse({ reload: "not enabled", status: -1 });
    if (this.#running) return jsonResponse({ reload: "in progress", status: -2 }, 400);
    this.#running = true;
    const run = this.#run(reload);
    const closed = this.#closed.then(() => "closed" as const);
    const result = await Promise.race([run, closed]);
    if (result === "closed") return jsonResponse({ reload: "accepted", status: 0 }, 202);
    if (result.ok) return jsonResponse({ reload: "done", status: 0 });
    return jsonResponse({ reload: "failed", status: -3, message: result.message }, 400);
  }

  async #run(reload: () => Promise<ReloadResult>): Promise<ReloadResult> {
    this.#log.info("hot reload requested through the HTTP server");
    try {
      const result = await reload();
      if (!result.ok) this.#log.error(`hot reload failed: ${result.message}`);
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#log.error(`hot reload failed: ${message}`);
      return { ok: false, message };
    } finally {
      this.#running = false;
    }
  }
}
