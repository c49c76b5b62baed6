/**
 * The `tcp` input: JSON maps or separator-delimited text over TCP (Fluent Bit's `in_tcp`),
 * with a per-connection record limit, a connection limit, an idle timeout and TLS.
 */
import { defineInput } from "../../../src/plugin.ts";
import { tcpInputOptions } from "./options.ts";

/** The tcp input plugin definition. */
export const plugin = defineInput({
  name: "tcp",
  description: "TCP",
  options: tcpInputOptions,
  example: {
    options: { listen: "127.0.0.1", port: 0 },
    feed: {
      kind: "tcp",
      records: 3,
      payloads: ['{"a":1}\n{"a":2}\n', '{"b":3}'],
    },
  },
  create: async (options, ctx) => (await import("./tcp.ts")).createTcpInput(options, ctx),
});
