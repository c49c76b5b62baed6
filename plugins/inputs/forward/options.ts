/**
 * The forward input's option table: Fluent Bit's `in_forward` keys with its defaults
 * (`plugins/in_forward/fw.c`, `fw_config.c`), plus sluice's connection limit.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { listenOptions, streamServerOptions, tlsServerOptions } from "../../../src/net/options.ts";
import { OptionError } from "../../../src/plugin.ts";

/** Every key of Fluent Bit's forward input besides the common input keys. */
export const forwardInputOptions = {
  ...listenOptions(24224),
  unix_path: opt.string(undefined, "Listen on this unix stream socket instead of TCP"),
  unix_perm: opt.string(undefined, "Octal permissions of the unix socket file, like 0660", {
    check: (v) => /^[0-7]{3,4}$/.test(v) ? undefined : `expected octal like 0660, got "${v}"`,
  }),
  tag_prefix: opt.string(undefined, "Prefix added to every incoming tag"),
  buffer_chunk_size: opt.size(1_024_000, "Bytes read from a connection at a time"),
  buffer_max_size: opt.size(
    6_144_000,
    "Largest message a connection may send (and decompress to); a larger one closes it",
  ),
  shared_key: opt.string(undefined, "Shared key of the secure forward handshake"),
  empty_shared_key: opt.bool(false, 'Run the handshake with "" as the shared key'),
  self_hostname: opt.string("localhost", "Server hostname sent in PONG and its digest"),
  "security.users": opt.multi(
    'Users allowed by the handshake, "USER PASSWORD" each (needs shared_key)',
  ),
  ...streamServerOptions,
  ...tlsServerOptions,
} satisfies OptionTable;

/** Parsed forward input options. */
export type ForwardInputOptions = OptionValues<typeof forwardInputOptions>;

/**
 * `security.users` as name → password (split at the first space, as Fluent Bit does);
 * throws OptionError on an entry without a password.
 */
export function usersOf(list: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of list) {
    const t = String(raw).trim();
    const i = t.search(/\s/);
    if (i <= 0) {
      throw new OptionError(
        "security.users",
        `expected "USER PASSWORD", got ${JSON.stringify(raw)}`,
      );
    }
    out.set(t.slice(0, i), t.slice(i + 1).trim());
  }
  return out;
}
