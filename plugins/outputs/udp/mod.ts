/** The `udp` output: one datagram per record as JSON or msgpack (Fluent Bit's `out_udp`). */
import { defineOutput } from "../../../src/plugin.ts";
import { udpOutputOptions } from "./options.ts";

/** The udp output plugin definition. */
export const plugin = defineOutput({
  name: "udp",
  description: "UDP Output",
  options: udpOutputOptions,
  example: { options: { host: "127.0.0.1", port: "${TEST_UDP_PORT}" } },
  create: async (options, ctx) => (await import("./udp.ts")).createUdpOutput(options, ctx),
});
