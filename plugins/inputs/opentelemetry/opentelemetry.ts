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
import { otlpGrpcIngress } from "./grpc_service.ts";

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
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { encodeTraces, hexId } from "../../../src/otlp/mod.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { testInputContext } from "../../../src/testing/input_context.ts";
 * import { hexSpan } from "../../../src/testing/spans.ts";
 * import { otlpInputOptions } from "./options.ts";
 *
 * const ctx = testInputContext({ name: "opentelemetry.0" });
 * const options = { ...defaultsOf(otlpInputOptions), listen: "127.0.0.1", port: 0 };
 * const input = createOtlpInput(options, ctx);
 * const chunks = input.chunks[Symbol.asyncIterator]();
 * const first = chunks.next(); // the first pull binds the port
 * const port = await input.listening;
 * const span = hexSpan("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
 * const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
 *   method: "POST",
 *   headers: { "content-type": "application/x-protobuf" },
 *   body: encodeTraces([span], "protobuf") as Uint8Array<ArrayBuffer>,
 * });
 * await res.body?.cancel();
 * const { value: chunk } = await first;
 * chunk?.ack.release(); // what the engine does once the outputs are done
 * assertEquals(res.status, 201);
 * assertEquals([chunk?.tag, chunk?.signal, chunk?.records.length], ["v1_traces", "traces", 1]);
 * assertEquals(chunk?.signal === "traces" && hexId(chunk.records[0]!.spanId), "b7ad6b7169203331");
 * ctx.controller.abort(); // shutdown: the server stops, the generator ends
 * assertEquals((await chunks.next()).done, true);
 * await input.close?.();
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
  // OTLP/gRPC shares the port as in Fluent Bit: HTTP/2 connections go to the gRPC ingress.
  const grpc = settings.http2 ? otlpGrpcIngress(receiver, ctx, settings.server) : undefined;
  const runtime = httpPushInput(ctx, receiver.queue, {
    handler: (req) => receiver.handle(req),
    server: { ...settings.server, http2: grpc && ((conn, prefix) => grpc.take(conn, prefix)) },
    label: grpc ? "OTLP/HTTP and OTLP/gRPC" : "OTLP/HTTP",
  });
  if (grpc === undefined) return { receiver, ...runtime };
  ctx.signal.addEventListener("abort", () => void grpc.close(), { once: true });
  return {
    receiver,
    ...runtime,
    async close(): Promise<void> {
      await runtime.close();
      await grpc.close();
    },
  };
}
