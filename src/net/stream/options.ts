/**
 * The KiB sizes of Fluent Bit's tcp and udp inputs. The listen, `tls.*` and `net.*` keys a
 * stream or datagram input spreads into its table are declared in `src/net/options.ts`.
 */
import { errorMessage } from "../../error_message.ts";
import { parseSize } from "../../config/values.ts";

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
