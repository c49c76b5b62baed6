/**
 * The opentelemetry input's lifecycle, on the shared HTTP push-input runtime of
 * `src/net/http_server`: `create` only derives settings (so `sluice validate` binds
 * nothing); the port is bound when the engine starts pulling chunks, and the server is shut
 * down when the input is aborted or closed, after every waiting request was answered (503
 * for those the engine never took).
 */
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import { httpPushInput } from "../../../src/net/http_server/mod.ts";
import type { OtlpInputOptions } from "./options.ts";
import { OtlpReceiver } from "./receiver.ts";
import { inputSettings } from "./settings.ts";

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
  const runtime = httpPushInput(ctx, receiver.queue, {
    handler: (req) => receiver.handle(req),
    server: settings.server,
    label: "OTLP/HTTP",
  });
  return { receiver, ...runtime };
}
