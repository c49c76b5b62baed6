/**
 * The `forward` input: Fluent Bit's `in_forward`, the Fluentd Forward protocol server that
 * Fluent Bit and Fluentd agents ship to. All four v1 modes (Message, Forward, PackedForward,
 * CompressedPackedForward gzip), EventTime and integer times, Fluent Bit's v2 entries with
 * metadata, and `fluent_signal` metrics and traces (cmetrics/ctraces payloads) as sluice
 * metrics and spans; the secure-forward handshake (`shared_key`, `self_hostname`,
 * `security.users`) refusing a wrong key with Fluentd's reason; TCP, TLS or a unix socket.
 *
 * Defined behaviour where Fluent Bit is loose: `{"ack": chunk}` is sent only once the
 * message's chunks are safe (on disk with filesystem storage, delivered by every output in
 * memory), so an acked sender never loses them; a busy pipeline stops reading the sockets
 * (the senders' windows fill) instead of closing connections; a bad message or handshake is
 * counted by reason and logged once with a sample, and only its connection is closed.
 */
import { defineInput } from "../../../src/plugin.ts";
import { forwardInputOptions } from "./options.ts";

/** The forward input plugin definition. */
export const plugin = defineInput({
  name: "forward",
  description: "Fluentd in-forward",
  options: forwardInputOptions,
  signals: ["logs", "traces", "metrics"],
  example: {
    options: { listen: "127.0.0.1", port: 0 },
    feed: {
      kind: "bytes",
      records: 3,
      payloads: [
        // ["conformance", [[EventTime, {"msg": "hello 1"}], [EventTime, {"msg": "hello 2"}]]]
        "92ab636f6e666f726d616e63659292d7006553f1000000000181a36d7367a768656c6c6f203192d7006553f1" +
        "000000000281a36d7367a768656c6c6f2032",
        // Message mode ["conformance", EventTime, {"msg": "hello 3"}, {"fluent_signal": 0}]
        "94ab636f6e666f726d616e6365d7006553f1000000000381a36d7367a768656c6c6f203381ad666c75656e74" +
        "5f7369676e616c00",
      ],
    },
  },
  create: async (options, ctx) => (await import("./forward.ts")).createForwardInput(options, ctx),
});
