/** The `tcp` output: records over TCP or TLS as msgpack or JSON (Fluent Bit's `out_tcp`). */
import { defineOutput } from "../../../src/plugin.ts";
import { tcpOutputOptions } from "./options.ts";

/** The tcp output plugin definition. */
export const plugin = defineOutput({
  name: "tcp",
  description: "TCP Output",
  options: tcpOutputOptions,
  example: { options: { host: "127.0.0.1", port: "${TEST_TCP_PORT}" } },
  create: async (options, ctx) => (await import("./tcp.ts")).createTcpOutput(options, ctx),
});
