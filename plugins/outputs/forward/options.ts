/**
 * The forward output's option table: Fluent Bit's `out_forward` keys and defaults
 * (`plugins/out_forward/forward.c`), with the client TLS and `net.*` keys sluice's other
 * network outputs take.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { netClientOptions, tlsClientOptions } from "../../../src/net/options.ts";

/** Every key of Fluent Bit's forward output besides the common output keys. */
export const forwardOutputOptions = {
  host: opt.string("127.0.0.1", "Host of the forward server (Fluent Bit or Fluentd)"),
  port: opt.int(24224, "TCP port of the forward server", {
    check: (v) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`,
  }),
  unix_path: opt.string(undefined, "Send over this unix stream socket instead of TCP"),
  upstream: opt.string(
    undefined,
    "Upstream file of nodes to balance over (round robin, next node on failure)",
  ),
  tag: opt.string(
    undefined,
    "Outgoing tag: a template with $TAG, $TAG[n]; a $key makes it per record (Message mode)",
  ),
  time_as_integer: opt.bool(false, "Send whole-second integer times (Fluentd v0.12)"),
  send_options: opt.bool(false, "Always send the option map (with size)"),
  require_ack_response: opt.bool(
    false,
    "Ask the server to ack each message (chunk option) and retry when no ack comes",
  ),
  compress: opt.choice(["text", "gzip"] as const, "text", "gzip: CompressedPackedForward"),
  retain_metadata_in_forward_mode: opt.bool(
    false,
    "Send v2 entries [[time, metadata], record] (Fluent Bit readers only)",
  ),
  shared_key: opt.string(undefined, "Shared key of the secure forward handshake"),
  empty_shared_key: opt.bool(false, 'Run the handshake with "" as the shared key'),
  self_hostname: opt.string("localhost", "Hostname sent in PING and its digest"),
  username: opt.string("", "User for the handshake's user auth (needs shared_key)"),
  password: opt.string("", "Password of username"),
  fluentd_compat: opt.bool(
    false,
    "Metrics and traces as one Forward-mode event [now, [cmetrics|ctraces map]] for Fluentd, " +
      "not a bin payload (Fluent Bit's in_forward rejects it); not with compress gzip or upstream",
  ),
  add_option: opt.multi('Extra option map entries, "KEY VALUE" each'),
  ...tlsClientOptions,
  ...netClientOptions,
} satisfies OptionTable;

/** Parsed forward output options. */
export type ForwardOutputOptions = OptionValues<typeof forwardOutputOptions>;
