/** Helpers for the opentelemetry input's tests: a receiver with a draining engine, requests. */
import { defaultsOf } from "../../../src/config/options.ts";
import type { InputContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { emptyScope, type Span } from "../../../src/event/span.ts";
import { idFromHex } from "../../../src/otlp/mod.ts";
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

/** A POST to `path` of the in-process receiver. */
export function post(
  path: string,
  body: BodyInit | Uint8Array | string,
  headers: Record<string, string> = { "content-type": "application/x-protobuf" },
): Request {
  return new Request(`http://127.0.0.1:4318${path}`, {
    method: "POST",
    body: body as BodyInit,
    headers,
  });
}

/** A valid span with the given hex IDs (name "op" unless given); no scope or attributes. */
export function span(traceId: string, spanId: string, options: { name?: string } = {}): Span {
  const name = options.name ?? "op";
  return {
    resource: { attributes: { "service.name": "svc" }, droppedAttributesCount: 0, schemaUrl: "" },
    scope: emptyScope(),
    traceId: idFromHex(traceId),
    spanId: idFromHex(spanId),
    parentSpanId: new Uint8Array(0),
    traceState: "",
    flags: 0,
    name,
    kind: 2,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_000_500_000_000n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: { code: 0, message: "" },
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
