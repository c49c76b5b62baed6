/** Helpers for the opentelemetry input's tests: a receiver with a draining engine, requests. */
import { defaultsOf } from "../../../src/config/options.ts";
import type { InputContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { type TestInputContext, testInputContext } from "../../../src/testing/input_context.ts";
import { type OtlpInputOptions, otlpInputOptions } from "./options.ts";
import { OtlpReceiver } from "./receiver.ts";
import { inputSettings } from "./settings.ts";

/** A receiver whose chunks a fake engine takes (and acks) as they come. */
export interface ReceiverHarness {
  receiver: OtlpReceiver;
  ctx: TestInputContext;
  chunks: Chunk[];
  /** Closes the receiver and waits for the fake engine to finish. */
  stop(): Promise<void>;
}

/** Input options: the defaults with `overrides`. */
export function inputOptions(overrides: Partial<OtlpInputOptions> = {}): OtlpInputOptions {
  return { ...defaultsOf(otlpInputOptions), ...overrides };
}

/** Starts a receiver; `pull: false` leaves the chunks untaken (nothing consumes them). */
export function receiverHarness(
  overrides: Partial<OtlpInputOptions> = {},
  options: { ctx?: Partial<InputContext>; pull?: boolean } = {},
): ReceiverHarness {
  const ctx = testInputContext({ name: "opentelemetry.0", ...options.ctx });
  const receiver = new OtlpReceiver(inputSettings(inputOptions(overrides)).receiver, ctx);
  const chunks: Chunk[] = [];
  const consuming = options.pull === false ? Promise.resolve() : (async () => {
    for await (const c of receiver.chunks()) {
      chunks.push(c);
      c.ack.release();
    }
  })();
  return {
    receiver,
    ctx,
    chunks,
    async stop(): Promise<void> {
      receiver.close();
      await consuming;
    },
  };
}

/** Gzips bytes. */
export async function gzip(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The text of a JSON OTLP request. */
export function json(value: unknown): string {
  return JSON.stringify(value);
}
