/**
 * The `s3` output: log records to Amazon S3 objects (Fluent Bit's `out_s3`), buffered in a
 * local `store_dir` that survives restarts, sent by multipart upload or PutObject, signed
 * with SigV4 from the standard credential chain or an assumed role.
 */
import { defineOutput } from "../../../src/plugin.ts";
import { s3Options } from "./options.ts";

/** The s3 output plugin definition. */
export const plugin = defineOutput({
  name: "s3",
  description: "Send to S3",
  options: s3Options,
  example: {
    options: {
      bucket: "logs",
      endpoint: "http://127.0.0.1:${TEST_HTTP_PORT}",
      store_dir: "${TEST_DIR}/s3",
      use_put_object: true,
      total_file_size: "1M",
    },
  },
  defaults: { workers: 1 },
  create: async (options, ctx) => (await import("./s3.ts")).createS3Output(options, ctx),
});
