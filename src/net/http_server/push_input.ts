/**
 * The lifecycle every HTTP push input shares: nothing is bound at create time (so
 * `sluice validate` binds nothing); the port is bound when the engine first pulls chunks;
 * requests waiting while the engine holds the input paused are refused (503) on a sweep,
 * which runs only while requests wait (an idle input sets no timer);
 * abort or close stops the server after every waiting request was answered.
 */
import { errorMessage } from "../../error_message.ts";
import type { InputContext } from "../../plugin.ts";
import { realClock } from "../../plugin/clock.ts";
import type { Chunk } from "../../event/chunk.ts";
import type { IngressQueue } from "../ingress_queue.ts";
import type { HttpHandler } from "./request.ts";
import { type HttpServer, type HttpServerOptions, serveHttp } from "./server.ts";

/** How often requests waiting for a paused pipeline are checked (and refused), in ms. */
const PAUSE_SWEEP_MS = 200;

/** A push input's running parts. */
export interface HttpPushInput {
  /** The chunks of accepted requests, for the engine to pull. */
  chunks: AsyncGenerator<Chunk>;
  /** Resolves with the bound port once listening (rejects when binding fails). */
  listening: Promise<number>;
  /** Stops listening and refuses the requests still waiting. */
  close(): Promise<void>;
}

/**
 * Serves `handler` for an input whose handler offers chunks to `queue`; `label` names the
 * protocol in the "listening on" log line.
 */
export function httpPushInput(
  ctx: InputContext,
  queue: IngressQueue,
  options: {
    handler: HttpHandler;
    server: Omit<HttpServerOptions, "log">;
    label: string;
  },
): HttpPushInput {
  let server: HttpServer | undefined;
  let closed = false;
  let onListen: (port: number) => void = () => {};
  let onFail: (e: unknown) => void = () => {};
  const listening = new Promise<number>((resolve, reject) => {
    onListen = resolve;
    onFail = reject;
  });
  listening.catch(() => {});

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    queue.close();
    const s = server;
    server = undefined;
    if (s) stopping = s.close().catch(() => {});
    return stopping ?? Promise.resolve();
  }

  async function* chunks(): AsyncGenerator<Chunk> {
    if (ctx.signal.aborted || closed) return;
    const o = options.server;
    try {
      server = serveHttp(options.handler, { ...o, log: ctx.log });
    } catch (e) {
      onFail(e);
      throw new Error(`Cannot listen on ${o.hostname}:${o.port}: ${errorMessage(e)}`);
    }
    ctx.log.info(
      `listening on ${server.hostname}:${server.port} (${options.label}${
        o.tls ? " over TLS" : ""
      })`,
    );
    onListen(server.port);
    const onAbort = (): void => void stop();
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    const sweeping = new AbortController();
    void sweepWhilePaused(sweeping.signal);
    try {
      yield* queue.take();
    } finally {
      sweeping.abort();
      ctx.signal.removeEventListener("abort", onAbort);
      await stop();
    }
  }

  async function sweepWhilePaused(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && !queue.closed) {
      await queue.whenWaiting();
      await realClock.sleep(PAUSE_SWEEP_MS, signal);
      if (queue.length > 0 && ctx.isPaused()) queue.refuseWaiting();
    }
  }

  return {
    chunks: chunks(),
    listening,
    async close(): Promise<void> {
      closed = true;
      await stop();
    },
  };
}
