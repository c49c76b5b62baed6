/**
 * The `syslog` input: RFC 5424 and RFC 3164 messages over UDP, TCP (newline or RFC 6587
 * octet-counting framing, TLS) and unix sockets (Fluent Bit's `in_syslog`), parsed with
 * Fluent Bit's built-in syslog parsers by default.
 */
import { defineInput } from "../../../src/plugin.ts";
import { syslogInputOptions } from "./options.ts";

/** The syslog input plugin definition. */
export const plugin = defineInput({
  name: "syslog",
  description: "Syslog",
  options: syslogInputOptions,
  example: {
    options: { mode: "tcp", listen: "127.0.0.1", port: 0 },
    feed: {
      kind: "tcp",
      records: 3,
      payloads: [
        "<13>1 2023-11-14T22:13:20.003Z web1 su 123 ID47 - one\n" +
        "<14>1 2023-11-14T22:13:21.003Z web1 su 123 ID47 - two\n",
        "not syslog, kept as a message\n",
      ],
    },
  },
  create: async (options, ctx) => (await import("./syslog.ts")).createSyslogInput(options, ctx),
});
