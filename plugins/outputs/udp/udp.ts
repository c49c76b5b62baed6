/**
 * The udp output: one datagram per record (Fluent Bit's `out_udp`), JSON formats ending in
 * a newline. A datagram over the UDP limit is skipped and counted; a send the kernel
 * refuses makes the chunk retry (records sent before it are sent again).
 */
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import { MAX_UDP_PAYLOAD, UdpSender } from "../../../src/net/datagram/sender.ts";
import { payloadEncoder } from "../tcp/payload.ts";
import type { UdpOutputOptions } from "./options.ts";

const NEWLINE = new Uint8Array([10]);

/** A udp output instance for parsed `options`. */
export function createUdpOutput(options: UdpOutputOptions, ctx: PluginContext): OutputInstance {
  const encode = payloadEncoder(options, {
    escapeUnicode: ctx.settings.jsonEscapeUnicode,
    convertNanToNull: ctx.settings.jsonConvertNanToNull,
  });
  const json = options.format !== "msgpack" || options.raw_message_key !== undefined;
  const sender = new UdpSender(options.host, options.port);
  const oversize = ctx.metrics.counter(
    "sluice_output_oversize_records_total",
    "Records an output skipped because they did not fit its limit (one UDP datagram).",
  );
  return {
    async write(chunk) {
      if (chunk.signal !== "logs") return;
      for (const record of chunk.records) {
        if (isGroupMarker(record)) continue;
        let payload = encode([record]);
        if (!payload) continue;
        if (json && payload[payload.length - 1] !== 10) {
          const withNl = new Uint8Array(payload.length + 1);
          withNl.set(payload);
          withNl.set(NEWLINE, payload.length);
          payload = withNl;
        }
        if (payload.length > MAX_UDP_PAYLOAD) {
          oversize.inc({ name: ctx.name });
          ctx.log.once(
            "warn",
            "udp-oversize",
            `a ${payload.length}-byte record does not fit one datagram and was skipped ` +
              "(further ones are counted)",
          );
          continue;
        }
        await sender.send(payload);
      }
    },
    close: () => Promise.resolve(sender.close()),
  };
}
