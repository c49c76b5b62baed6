/**
 * The `udp` input: JSON maps or separator-delimited text in UDP datagrams (Fluent Bit's
 * `in_udp`), with oversize and overflow drops counted.
 */
import { defineInput } from "../../../src/plugin.ts";
import { udpInputOptions } from "./options.ts";

/** The udp input plugin definition. */
export const plugin = defineInput({
  name: "udp",
  description: "UDP",
  options: udpInputOptions,
  example: {
    options: { listen: "127.0.0.1", port: 0 },
    feed: { kind: "udp", records: 3, datagrams: ['{"a":1}', '{"b":2}\n{"b":3}\n'] },
  },
  create: async (options, ctx) => (await import("./udp.ts")).createUdpInput(options, ctx),
});
