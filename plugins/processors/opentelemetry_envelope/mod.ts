/**
 * The `opentelemetry_envelope` processor (Fluent Bit's processor of that name): logs
 * records outside an OTLP group are wrapped into one (an empty resource and scope), so a
 * `content_modifier` on `otel_resource_attributes` or `otel_scope_*` can set them and the
 * opentelemetry output sends them as the request's resource and scope. It has no options.
 * Fluent Bit also gives metrics contexts an empty resource/scope metadata skeleton; sluice's
 * metrics already carry their resource and scope, so metrics pass unchanged.
 */
import { defineProcessor } from "../../../src/plugin.ts";
import { withRecords } from "../../../src/event/chunk.ts";
import { envelop } from "./envelope.ts";

/** The opentelemetry_envelope processor plugin. */
export const plugin = defineProcessor({
  name: "opentelemetry_envelope",
  description: "Package log records inside an OpenTelemetry Logs schema (resource/scope group)",
  signals: ["logs", "metrics"],
  options: {},
  notes: [
    "Logs: each run of records outside an OTLP group is wrapped in a group with an empty " +
    "resource and scope (metadata schema otlp, resource_id 0, scope_id 0), as in Fluent Bit; " +
    "records already grouped (from an OTLP input) are left alone.",
    "Metrics pass unchanged: Fluent Bit adds empty resource/scope metadata to its metrics " +
    "context, sluice's metric records already carry their resource and scope.",
  ],
  example: { options: {} },
  create: () => ({
    process(chunk) {
      if (chunk.signal !== "logs") return chunk;
      const records = envelop(chunk.records);
      return records === chunk.records ? chunk : withRecords(chunk, records);
    },
  }),
});
