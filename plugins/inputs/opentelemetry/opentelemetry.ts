/**
 * The opentelemetry input's lifecycle: `create` only derives settings (so `sluice validate`
 * binds nothing); the port is bound when the engine starts pulling chunks, and the server
 * is shut down when the input is aborted or closed, after every waiting request was
 * answered (503 for those the engine never took).
 */
import { errorMessage } from "../../../src/error_message.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { OtlpInputOptions } from "./options.ts";
import { OtlpReceiver } from "./receiver.ts";
import { inputSettings, type ListenSettings } from "./settings.ts";

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
  let server: Deno.HttpServer | undefined;
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
    if (s) stopping = s.shutdown().catch(() => {});
    return stopping ?? Promise.resolve();
  }

  async function* chunks(): AsyncGenerator<Chunk> {
    if (ctx.signal.aborted || closed) return;
    try {
      server = serve(settings.listen, receiver, ctx, onListen);
    } catch (e) {
      onFail(e);
      throw new Error(
        `Cannot listen on ${settings.listen.hostname}:${settings.listen.port}: ` +
          errorMessage(e),
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
  listen: ListenSettings,
  receiver: OtlpReceiver,
  ctx: InputContext,
  onListen: (port: number) => void,
): Deno.HttpServer {
  const base = {
    hostname: listen.hostname,
    port: listen.port,
    onListen(addr: Deno.NetAddr): void {
      ctx.log.info(
        `listening on ${addr.hostname}:${addr.port} (OTLP/HTTP${listen.tls ? "S" : ""})`,
      );
      onListen(addr.port);
    },
    onError(e: unknown): Response {
      ctx.log.error(`request failed: ${errorMessage(e)}`);
      return new Response("Internal error\n", { status: 500 });
    },
  };
  const handler = (req: Request): Promise<Response> => receiver.handle(req);
  return listen.tls
    ? Deno.serve({ ...base, cert: listen.tls.cert, key: listen.tls.key }, handler)
    : Deno.serve(base, handler);
}
