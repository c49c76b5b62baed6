/**
 * The prometheus_remote_write output: each metrics chunk as one protobuf `WriteRequest`
 * (`src/metrics/prometheus/remote_write.ts`), snappy-compressed, POSTed over the shared HTTP
 * client with the remote write headers; the answer judged by the remote write status rule
 * (`status.ts`), so the engine retries 5xx and 429 and dead-letters other 4xx.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { encodeWriteRequest } from "../../../src/metrics/prometheus/remote_write.ts";
import {
  createHttpClient,
  type HttpClient,
  normalizePath,
  postDelivered,
} from "../../../src/net/http_client/mod.ts";
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import { parseAddLabels } from "../prometheus_exporter/labels.ts";
import type { PrometheusRemoteWriteOptions } from "./options.ts";
import { REMOTE_WRITE_STATUS } from "./status.ts";

/** A running remote write output, with its client. */
export interface RemoteWriteOutput extends OutputInstance {
  client: HttpClient;
  /** The URL requests go to. */
  url: string;
}

/** A prometheus_remote_write output for parsed `options`. */
export function createRemoteWriteOutput(
  options: PrometheusRemoteWriteOptions,
  ctx: PluginContext,
): RemoteWriteOutput {
  const staticLabels = parseAddLabels(options.add_label ?? []);
  if (options.aws_auth) {
    ctx.log.warn('"aws_auth" is not supported yet: requests are sent unsigned');
  }
  const client = createHttpClient({ ...options, compress: options.compression }, ctx, {
    compressions: ["snappy", "gzip"],
    bearerToken: options.bearer_token,
  });
  const path = normalizePath(options.uri);
  const series = ctx.metrics.counter(
    "sluice_prometheus_remote_write_series_total",
    "Time series sent in remote write requests that were accepted.",
  );
  return {
    client,
    url: client.url(path),
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "metrics" || chunk.records.length === 0) return;
      const encoded = encodeWriteRequest(chunk.records, { staticLabels });
      if (encoded.series === 0) return;
      const answer = await postDelivered(client, {
        path,
        body: encoded.body,
        contentType: "application/x-protobuf",
        headers: { "X-Prometheus-Remote-Write-Version": "0.1.0" },
        logPayload: options.log_response_payload,
        policy: REMOTE_WRITE_STATUS,
      });
      series.inc({ name: ctx.name }, encoded.series);
      ctx.log.debug(`${client.target}, HTTP status=${answer.status}, ${encoded.series} series`);
    },
    close(): Promise<void> {
      client.close();
      return Promise.resolve();
    },
  };
}
