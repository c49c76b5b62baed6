/**
 * The opentelemetry input's lifecycle: `create` only derives settings (so `sluice validate`
 * binds nothing); the port is bound when the engine starts pulling chunks, and the server
 * is shut down when the input is aborted or closed, after every waiting request was
 * answered (503 for those the engine never took).
 */
import type { InputContext, InputInstance } from "../../../src/engine/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { OtlpInputOptions } from "./options.ts";
import { OtlpReceiver } from "./receiver.ts";
import { type HttpServer, serveHttp } from "../../../src/net/http_server/mod.ts";
import { type InputSettings, inputSettings } from "./settings.ts";

/** How often requests waiting for a paused pipeline are checked (and refused), in ms. */
const PAUSE_SWEEP_MS = 200;

/** A running opentelemetry input; `port` is known once the server listens. */
export interface OtlpInput extends InputInstance {
  receiver: OtlpReceiver;
  /** Resolves with the bound port once listening (rejects when binding fails). */
  listening: Promise<number>;
}

/**
 * Creates the input without binding; the server starts when `chunks` is first pulled.
 *
 * @example
 * ```ts
 * const input = createOtlpInput(options, ctx);
 * for await (const chunk of input.chunks) route(chunk);
 * ```
 */
export function createOtlpInput(options: OtlpInputOptions, ctx: InputContext): OtlpInput {
  const settings = inputSettings(options);
  const receiver = new OtlpReceiver(settings.receiver, ctx);
  if (settings.receiver.tagFromUri && ctx.tag !== ctx.name) {
    ctx.log.warn(
      `"tag" ${JSON.stringify(ctx.tag)} is not used while "tag_from_uri" is on ` +
        `(records are tagged v1_logs, v1_metrics, v1_traces); set tag_from_uri false to use it`,
    );
  }
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
    receiver.close();
    const s = server;
    server = undefined;
    if (s) stopping = s.close().catch(() => {});
    return stopping ?? Promise.resolve();
  }

  async function* chunks(): AsyncGenerator<Chunk> {
    if (ctx.signal.aborted || closed) return;
    try {
      server = serve(settings.server, receiver, ctx);
      onListen(server.port);
    } catch (e) {
      onFail(e);
      throw new Error(
        `Cannot listen on ${settings.server.hostname}:${settings.server.port}: ` +
          (e as Error).message,
      );
    }
    const onAbort = (): void => void stop();
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    const sweep = setInterval(() => receiver.refuseIfPaused(), PAUSE_SWEEP_MS);
    try {
      yield* receiver.chunks();
    } finally {
      clearInterval(sweep);
      ctx.signal.removeEventListener("abort", onAbort);
      await stop();
    }
  }

  return {
    receiver,
    listening,
    chunks: chunks(),
    async close(): Promise<void> {
      closed = true;
      await stop();
    },
  };
}

function serve(
  options: InputSettings["server"],
  receiver: OtlpReceiver,
  ctx: InputContext,
): HttpServer {
  const server = serveHttp((req) => receiver.handle(req), { ...options, log: ctx.log });
  ctx.log.info(
    `listening on ${server.hostname}:${server.port} (OTLP/HTTP${options.tls ? "S" : ""})`,
  );
  return server;
}
