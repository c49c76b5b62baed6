/** The udp output's option table: Fluent Bit's `out_udp` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { streamOutputOptions } from "../tcp/options.ts";
import { STREAM_OUTPUT_FORMATS } from "../tcp/payload.ts";

/** Every key of Fluent Bit's udp output besides the common output keys. */
export const udpOutputOptions = {
  ...streamOutputOptions,
  format: opt.choice(
    STREAM_OUTPUT_FORMATS,
    "json_lines",
    "Payload of each datagram (one record): json_lines, json, json_stream or msgpack",
  ),
} satisfies OptionTable;

/** Parsed udp output options. */
export type UdpOutputOptions = OptionValues<typeof udpOutputOptions>;
