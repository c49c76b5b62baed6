/**
 * The tcp input: a stream listener (src/net/stream) cutting JSON values or separated text,
 * one chunk per batch of frames. The engine pulls chunks only while the input is not paused,
 * so under backpressure the listener stops reading and the senders' TCP windows fill.
 */
import { untilAborted } from "../../../src/net/until_aborted.ts";
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { unescapeSeparator } from "../../../src/net/stream/framing.ts";
import { type Framing, StreamListener } from "../../../src/net/stream/listener.ts";
import { kibSize } from "../../../src/net/stream/options.ts";
import { serverTlsFiles } from "../../../src/net/tls.ts";
import type { TcpInputOptions } from "./options.ts";
import { type FrameConverter, frameConverter } from "./records.ts";

/** Longest sample of a malformed message quoted in a log line. */
const SAMPLE_CHARS = 200;

/** A quoted, shortened sample of `text` for a log line. */
export function sample(text: string): string {
  return JSON.stringify(text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}...` : text);
}

/** The converter of a tcp or udp input, counting and logging (once) what is malformed. */
export function inputConverter(
  options: { format: string; source_address_key?: string },
  ctx: InputContext,
): FrameConverter {
  const metric = ctx.metrics.counter(
    "sluice_input_malformed_records_total",
    "Messages a network input could not turn into a record (invalid JSON, a bare scalar).",
  );
  const kind = options.format === "msgpack" ? "msgpack" : "JSON";
  return frameConverter({
    format: options.format === "none" || options.format === "msgpack" ? options.format : "json",
    sourceAddressKey: options.source_address_key,
    onMalformed(text) {
      metric.inc({ name: ctx.name });
      ctx.log.once(
        "warn",
        "tcp-invalid-message",
        `invalid ${kind} message, skipping (further ones are counted, not logged): ${sample(text)}`,
      );
    },
  });
}

/** A running tcp or udp input. */
export interface ListeningInput extends InputInstance {
  /** Resolves with the bound port (the listener is bound before the instance is returned). */
  listening: Promise<number>;
}

/** Starts a tcp input: binds now (an address in use fails the start), reads while pulled. */
export async function createTcpInput(
  options: TcpInputOptions,
  ctx: InputContext,
): Promise<ListeningInput> {
  const chunkSize = kibSize(options.chunk_size);
  const bufferSize = options.buffer_size === undefined ? chunkSize : kibSize(options.buffer_size);
  const framing: Framing = options.format === "none"
    ? { kind: "separator", separator: unescapeSeparator(options.separator) }
    : options.format === "msgpack"
    ? { kind: "msgpack" }
    : { kind: "json" };
  const listener = await StreamListener.listen({
    transport: "tcp",
    hostname: options.listen,
    port: options.port,
    tls: serverTlsFiles(options),
    framing,
    maxFrameBytes: bufferSize,
    readSize: Math.max(chunkSize, 65_536),
    maxConnections: options["net.max_connections"],
    idleTimeout: options["net.io_timeout"],
    log: ctx.log,
    metrics: ctx.metrics,
    name: ctx.name,
  });
  const addr = listener.addr as Deno.NetAddr;
  ctx.log.info(`listening on ${addr.hostname}:${addr.port}${options.tls ? " (TLS)" : ""}`);
  const converter = inputConverter(options, ctx);
  return {
    chunks: read(listener, converter, ctx),
    listening: Promise.resolve(addr.port),
    close: () => listener.close(),
  };
}

async function* read(
  listener: StreamListener,
  converter: FrameConverter,
  ctx: InputContext,
): AsyncGenerator<Chunk> {
  for await (const batch of untilAborted(listener, ctx.signal)) {
    const records: LogRecord[] = [];
    converter.convert(batch.frames, batch.peer, EventTime.now(), records);
    if (records.length > 0) yield ctx.chunk(records, { bytes: batch.bytes || undefined });
  }
}
