/**
 * The option keys a stream or datagram input shares (declared once, spread into each
 * plugin's table): bind address, TLS files, connection limit and idle timeout, and the
 * KiB sizes of Fluent Bit's tcp and udp inputs.
 */
import { errorMessage } from "../../error_message.ts";
import { opt, type OptionSpec, type OptionTable } from "../../config/options.ts";
import { parseSize } from "../../config/values.ts";

/** The table {@link listenOptions} returns. */
export interface ListenOptionTable extends OptionTable {
  /** Address to listen on. */
  listen: OptionSpec<string>;
  /** Port to listen on. */
  port: OptionSpec<number>;
}

/** `listen` and `port` of a network input, with its default port. */
export function listenOptions(port: number): ListenOptionTable {
  return {
    listen: opt.string("0.0.0.0", "Address to listen on"),
    port: opt.int(port, "Port to listen on", {
      check: (v) => v >= 0 && v <= 65535 ? undefined : `expected a port 0-65535, got ${v}`,
    }),
  };
}

/** Connection hardening keys of a stream input (sluice additions; Fluent Bit has none). */
export const streamServerOptions = {
  "net.max_connections": opt.int(
    1024,
    "Open connections allowed; more are closed at once and counted (0 for no limit)",
    { check: (v) => v >= 0 ? undefined : `expected 0 or more, got ${v}` },
  ),
  "net.io_timeout": opt.duration(
    0,
    "Close a connection that sends nothing for this long (0 keeps it open)",
  ),
} satisfies OptionTable;

/** TLS server keys of a stream input. */
export const tlsServerOptions = {
  tls: opt.bool(false, "Accept TLS connections (needs tls.crt_file and tls.key_file)"),
  "tls.crt_file": opt.string(undefined, "PEM certificate chain the listener presents"),
  "tls.key_file": opt.string(undefined, "PEM private key of tls.crt_file"),
} satisfies OptionTable;

/**
 * Bytes of a tcp/udp input size key. As in Fluent Bit, a bare number counts KiB (`32` is
 * 32768 bytes); unlike it, a unit is honoured (`1M` is 1,000,000 bytes, not 1 KiB).
 *
 * @example
 * ```ts
 * kibSize("32"); // 32768
 * ```
 */
export function kibSize(raw: string): number {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1024;
  return parseSize(text);
}

/** The `check` of a KiB size key: a message when `raw` is not a size. */
export function checkKibSize(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return kibSize(raw) > 0 ? undefined : `expected a size above 0, got "${raw}"`;
  } catch (e) {
    return errorMessage(e);
  }
}
