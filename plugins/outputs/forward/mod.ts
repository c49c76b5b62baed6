/**
 * The `forward` output: Fluent Bit's `out_forward`, the Fluentd Forward protocol to Fluent
 * Bit or Fluentd aggregators. Forward mode by default, CompressedPackedForward with
 * `compress gzip`, Message mode for a per-record `tag`; `require_ack_response` waits for each
 * chunk id's ack and retries when none comes; the secure-forward handshake with `shared_key`,
 * `self_hostname`, `username`/`password`; TLS or a unix socket; an `upstream` file balances
 * round robin over several nodes with failover. Metrics and traces go as cmetrics/ctraces
 * payloads with `fluent_signal`, which Fluent Bit's in_forward reads as those signals.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { forwardOutputOptions } from "./options.ts";

/** The forward output plugin definition. */
export const plugin = defineOutput({
  name: "forward",
  description: "Forward (Fluentd protocol)",
  options: forwardOutputOptions,
  signals: ["logs", "traces", "metrics"],
  example: { options: { host: "127.0.0.1", port: "${TEST_FORWARD_PORT}" } },
  defaults: { workers: 2 },
  create: async (options, ctx) => (await import("./forward.ts")).createForwardOutput(options, ctx),
});
