/**
 * The `syslog` output: records as RFC 5424 or RFC 3164 messages over UDP, TCP or TLS
 * (Fluent Bit's `out_syslog`), byte for byte as Fluent Bit formats them, with RFC 6587
 * octet-counting framing on TCP as an option.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { syslogOutputOptions } from "./options.ts";

/** The syslog output plugin definition. */
export const plugin = defineOutput({
  name: "syslog",
  description: "Syslog",
  options: syslogOutputOptions,
  example: {
    options: {
      mode: "udp",
      host: "127.0.0.1",
      port: "${TEST_UDP_PORT}",
      syslog_message_key: "message",
    },
  },
  create: async (options, ctx) => (await import("./syslog.ts")).createSyslogOutput(options, ctx),
});
