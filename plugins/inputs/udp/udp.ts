/**
 * The udp input: each datagram is cut on its own (JSON values or separated text, no
 * reassembly across datagrams) and every batch of datagrams becomes one chunk. UDP cannot
 * push back: while the input is paused, datagrams queue up to a bound, then are dropped
 * and counted, and the kernel's own drops are exported from /proc/net/udp.
 */
import { untilAborted } from "../../../src/net/until_aborted.ts";
import type { InputContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { DatagramReceiver } from "../../../src/net/datagram/receiver.ts";
import {
  type Framer,
  type FramerHooks,
  separatorFramer,
  unescapeSeparator,
} from "../../../src/net/stream/framing.ts";
import { jsonFramer } from "../../../src/net/stream/json_framer.ts";
import { kibSize } from "../../../src/net/stream/options.ts";
import { inputConverter, type ListeningInput } from "../tcp/tcp.ts";
import type { UdpInputOptions } from "./options.ts";

/** Starts a udp input: binds now, hands over what arrived each time the engine pulls. */
export async function createUdpInput(
  options: UdpInputOptions,
  ctx: InputContext,
): Promise<ListeningInput> {
  const limit = kibSize(options.chunk_size);
  const receiver = await DatagramReceiver.listen({
    transport: "udp",
    hostname: options.listen,
    port: options.port,
    maxDatagramBytes: limit,
    log: ctx.log,
    metrics: ctx.metrics,
    name: ctx.name,
  });
  const addr = receiver.addr as Deno.NetAddr;
  ctx.log.info(`listening on udp ${addr.hostname}:${addr.port}`);
  const hooks: FramerHooks = { maxBytes: limit, onOversize() {} };
  const separator = unescapeSeparator(options.separator);
  const newFramer = (): Framer =>
    options.format === "none" ? separatorFramer(separator, hooks) : jsonFramer(hooks);
  const converter = inputConverter(options, ctx);

  async function* read(): AsyncGenerator<Chunk> {
    // One framer for every datagram: end() hands over the datagram's last frame and starts over.
    const framer = newFramer();
    try {
      for await (const batch of untilAborted(receiver, ctx.signal)) {
        const records: LogRecord[] = [];
        const time = EventTime.now();
        let bytes = 0;
        for (const { data, peer } of batch) {
          bytes += data.length;
          const frames: Uint8Array[] = [];
          framer.push(data, frames);
          const tail = framer.end();
          if (tail) frames.push(tail);
          converter.convert(frames, peer, time, records);
        }
        if (records.length > 0) yield ctx.chunk(records, { bytes });
      }
    } finally {
      await receiver.refreshKernelDrops();
    }
  }
  return {
    chunks: read(),
    listening: Promise.resolve(addr.port),
    close: () => receiver.close(),
  };
}
