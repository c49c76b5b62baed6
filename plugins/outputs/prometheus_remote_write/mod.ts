/**
 * The `prometheus_remote_write` output: sends metrics as Prometheus remote write 1.0
 * requests, protobuf and snappy (Fluent Bit's `out_prometheus_remote_write`).
 */
import { defineOutput } from "../../../src/plugin.ts";
import { prometheusRemoteWriteOptions } from "./options.ts";

/** The prometheus_remote_write output plugin definition. */
export const plugin = defineOutput({
  name: "prometheus_remote_write",
  description: "Prometheus remote write",
  options: prometheusRemoteWriteOptions,
  signals: ["metrics"],
  defaults: { workers: 2 },
  notes: [
    "Answers are judged as the remote write spec says: 2xx written, 5xx and 429 retried, " +
    "other 4xx refused (Fluent Bit refuses only 400 and retries the rest)",
    "One request per chunk; exponential histograms are sent as explicit buckets",
    "bearer_token is a sluice addition; aws_auth is not supported yet (warns)",
  ],
  example: { options: { host: "127.0.0.1", port: "${TEST_HTTP_PORT}", uri: "/api/v1/write" } },
  create: async (options, ctx) =>
    (await import("./prometheus_remote_write.ts")).createRemoteWriteOutput(options, ctx),
});
