/** The udp input's option table: Fluent Bit's `in_udp` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { checkKibSize } from "../../../src/net/stream/options.ts";
import { listenOptions } from "../../../src/net/options.ts";

/** Every key of Fluent Bit's udp input besides the common input keys. */
export const udpInputOptions = {
  ...listenOptions(5170),
  format: opt.choice(
    ["json", "none"] as const,
    "json",
    "json (JSON maps) or none (separator-delimited text)",
  ),
  separator: opt.string(
    "\\n",
    "Record separator with format none; escapes like \\r\\n are understood",
  ),
  chunk_size: opt.string(
    "32",
    "Largest datagram; a longer one is dropped and counted (Fluent Bit cuts it). A bare " +
      "number counts KiB (32 = 32768 bytes), units are honoured (64k)",
    { check: checkKibSize },
  ),
  buffer_size: opt.string(
    undefined,
    "Accepted for compatibility (it has no effect for UDP in Fluent Bit either)",
    { check: checkKibSize },
  ),
  source_address_key: opt.string(
    undefined,
    'Key to add holding the sender, as "udp://ip:port"',
  ),
} satisfies OptionTable;

/** Parsed udp input options. */
export type UdpInputOptions = OptionValues<typeof udpInputOptions>;
