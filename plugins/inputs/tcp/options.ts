/** The tcp input's option table: Fluent Bit's `in_tcp` keys, plus sluice's connection limits. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { checkKibSize } from "../../../src/net/stream/options.ts";
import { listenOptions, streamServerOptions, tlsServerOptions } from "../../../src/net/options.ts";

/** Every key of Fluent Bit's tcp input besides the common input keys. */
export const tcpInputOptions = {
  ...listenOptions(5170),
  format: opt.choice(
    ["json", "none", "msgpack"] as const,
    "json",
    "json (a stream of JSON maps), none (separator-delimited text) or msgpack (events as " +
      "Fluent Bit's tcp output sends them by default; a sluice addition)",
  ),
  separator: opt.string(
    "\\n",
    "Record separator with format none; escapes like \\r\\n are understood",
  ),
  chunk_size: opt.string(
    "32",
    "Read size; a bare number counts KiB (32 = 32768 bytes), units are honoured (64k)",
    { check: checkKibSize },
  ),
  buffer_size: opt.string(
    undefined,
    "Largest record per connection (default chunk_size); a longer one is skipped to the " +
      "next separator, counted and logged once. A bare number counts KiB",
    { check: checkKibSize },
  ),
  source_address_key: opt.string(
    undefined,
    'Key to add holding the sender, as "tcp://ip:port"',
  ),
  ...streamServerOptions,
  ...tlsServerOptions,
} satisfies OptionTable;

/** Parsed tcp input options. */
export type TcpInputOptions = OptionValues<typeof tcpInputOptions>;
