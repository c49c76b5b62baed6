/**
 * The `nats` input (Fluent Bit has none): core NATS subscriptions or a JetStream durable
 * consumer acked after delivery, reading Fluent Bit's out_nats payloads, plain JSON, and the
 * OTLP spans and metrics of sluice's nats output.
 */
import { defineInput } from "../../../src/plugin.ts";
import { natsInputOptions } from "./options.ts";

/** The nats input plugin definition. */
export const plugin = defineInput({
  name: "nats",
  description: "NATS subscriber and JetStream consumer",
  signals: ["logs", "traces", "metrics"],
  options: natsInputOptions,
  notes: [
    "Core NATS is at most once: messages published while sluice is not subscribed are not seen.",
    "With stream, a durable consumer acks each message after every output delivered its records (or dead-lettered them): a crash loses nothing, and messages in flight are delivered again after ack_wait.",
    "Payloads: Fluent Bit's out_nats JSON ([[time, {\"tag\": ..., ...}]]), a JSON object, an array of objects, one object a line, or OTLP protobuf with a Sluice-Signal header (sluice's nats output).",
  ],
  example: {
    options: { port: "${TEST_NATS_PORT}", subject: "conformance.in", stream: "CONFORMANCE_IN" },
    feed: {
      kind: "nats",
      stream: "CONFORMANCE_IN",
      subject: "conformance.in",
      payloads: ['[[1700000000.5,{"tag":"app","m":"x"}],[1700000001.0,{"tag":"app","n":2}]]'],
      records: 2,
    },
  },
  create: async (options, ctx) => (await import("./nats.ts")).createNatsInput(options, ctx),
});
