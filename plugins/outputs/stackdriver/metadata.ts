/**
 * Requests to the GCE metadata server (`/computeMetadata/v1/...` with
 * `Metadata-Flavor: Google`): the project, zone and instance id, and tokens.
 */
import type { HttpAnswer, UrlEndpoint } from "../../../src/net/http_client/mod.ts";

/** The answer of the metadata server at `endpoint` for `what` (`instance/zone`). */
export function metadataGet(endpoint: UrlEndpoint, what: string): Promise<HttpAnswer> {
  return endpoint.client.send({
    method: "GET",
    path: `${endpoint.path}/computeMetadata/v1/${what}`,
    body: new Uint8Array(),
    headers: { "Metadata-Flavor": "Google" },
    readBody: true,
  });
}
