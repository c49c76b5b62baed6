/**
 * The opentelemetry output's write: a chunk becomes one or more OTLP/HTTP requests, sent
 * in order. A chunk is judged as a whole, but its progress is remembered: when request k
 * of n fails and the engine retries the chunk, sending resumes at request k, so requests
 * the receiver already accepted are not sent again and the rest are not lost (Fluent Bit
 * #12384). A request refused for good does not stop the others; the chunk then fails
 * permanently, naming it. `partial_success` answers are counted and logged, not retried.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { createHttpClient, type HttpClient } from "../../../src/net/http_client/mod.ts";
import type { OtlpOutputOptions } from "./options.ts";
import { planRequests } from "./requests.ts";
import { exportRequest } from "./sender.ts";
import { createGrpcExporter } from "./grpc_sender.ts";
import { type OutputSettings, outputSettings } from "./settings.ts";

/** Progress through one chunk's requests, kept between the engine's retries. */
interface Progress {
  /** The first request not yet answered. */
  next: number;
  /** Requests refused for good, described. */
  rejected: string[];
  /** The status of the first refusal, when the receiver gave one. */
  status?: number;
}

/** A running opentelemetry output. */
export interface OtlpOutput extends OutputInstance {
  settings: OutputSettings;
  client: HttpClient;
}

/**
 * Creates the output; nothing is connected until the first write.
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { RetryableError } from "../../../src/engine/errors.ts";
 * import type { TraceChunk } from "../../../src/event/chunk.ts";
 * import { decodeTraces } from "../../../src/otlp/mod.ts";
 * import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
 * import { testFilterContext } from "../../../src/testing/filter_context.ts";
 * import { testInputContext } from "../../../src/testing/input_context.ts";
 * import { testSpan } from "../../../src/testing/spans.ts";
 * import { otlpOutputOptions } from "./options.ts";
 *
 * let status = 200;
 * const bodies: Uint8Array[] = [];
 * const rx = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
 *   bodies.push(new Uint8Array(await req.arrayBuffer()));
 *   return new Response(null, { status });
 * });
 * const options = { ...defaultsOf(otlpOutputOptions), port: rx.addr.port };
 * const out = createOtlpOutput(options, testFilterContext({ name: "opentelemetry.0" }));
 * const input = testInputContext({ name: "otlp.0" });
 * const chunk = input.signalChunk<TraceChunk>("traces", [testSpan({ name: "GET /" })]);
 * await out.write(chunk); // 200: delivered
 * assertEquals(decodeTraces(bodies[0]!, "protobuf").map((s) => s.name), ["GET /"]);
 * status = 503; // the engine retries a RetryableError later; a 400 would be a PermanentError
 * await assertRejects(() => out.write(input.signalChunk("traces", chunk.records)), RetryableError);
 * await out.close?.();
 * await rx.shutdown();
 * ```
 */
export function createOtlpOutput(options: OtlpOutputOptions, ctx: PluginContext): OtlpOutput {
  const settings = outputSettings(options);
  const client = createHttpClient(options, ctx, { compressions: ["gzip", "zstd"] });
  const format = settings.encode.format;
  const grpc = options.grpc ? createGrpcExporter(options, ctx) : undefined;
  const progress = new WeakMap<Chunk, Progress>();
  const labels = { name: ctx.name };
  const rejectedItems = ctx.metrics.counter(
    "sluice_output_otlp_partial_success_rejected_total",
    "Items an OTLP receiver rejected through partial_success.",
  );
  rejectedItems.touch(labels);

  async function write(chunk: Chunk): Promise<void> {
    const plan = planRequests(chunk, settings.encode);
    const state = progress.get(chunk) ?? { next: 0, rejected: [] };
    if (state.next > 0) {
      ctx.log.debug(`resuming a chunk at request ${state.next + 1} of ${plan.count}`);
    }
    const path = settings.uris[chunk.signal];
    for (let i = state.next; i < plan.count; i++) {
      try {
        let body: Uint8Array;
        try {
          body = plan.encode(i);
        } catch (e) {
          throw new PermanentError(`Cannot encode the records: ${errorMessage(e)}`);
        }
        const partial = grpc ? await grpc.send(body, chunk.signal) : await exportRequest(body, {
          client,
          path,
          format,
          signal: chunk.signal,
          logPayload: options.log_response_payload,
        });
        if (partial !== null && (partial.rejected > 0 || partial.errorMessage !== "")) {
          rejectedItems.inc(labels, partial.rejected);
          ctx.log.once(
            "warn",
            `partial_success:${partial.errorMessage}`,
            `receiver rejected ${partial.rejected} of ${plan.items(i)} ${chunk.signal} items ` +
              `(partial_success, not retried): ${partial.errorMessage || "no message"}`,
          );
        }
      } catch (e) {
        if (e instanceof PermanentError) {
          state.rejected.push(
            plan.count > 1 ? `request ${i + 1} of ${plan.count}: ${e.message}` : e.message,
          );
          state.status ??= e.status;
          state.next = i + 1;
          continue;
        }
        state.next = i;
        progress.set(chunk, state);
        if (e instanceof RetryableError && plan.count > 1 && i > 0) {
          throw new RetryableError(`${e.message} (request ${i + 1} of ${plan.count})`, {
            retryAfter: e.retryAfter,
            status: e.status,
            cause: e,
          });
        }
        throw e;
      }
      state.next = i + 1;
    }
    progress.delete(chunk);
    if (state.rejected.length > 0) {
      throw new PermanentError(state.rejected.join("; "), { status: state.status });
    }
  }

  return {
    settings,
    client,
    write,
    close(): Promise<void> {
      client.close();
      grpc?.close();
      return Promise.resolve();
    },
  };
}
