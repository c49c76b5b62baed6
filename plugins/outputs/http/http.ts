/**
 * The http output's stage: one request per chunk (batch) to `http(s)://host:port/uri`
 * in the configured format, over the shared HTTP client (`src/net/http_client`), which
 * does TLS, authentication, headers, compression and the answer's verdict.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { PermanentError } from "../../../src/engine/errors.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import {
  createHttpClient,
  type HttpClient,
  normalizePath,
  postDelivered,
} from "../../../src/net/http_client/mod.ts";
import type { HttpOptions } from "./options.ts";
import { payloadEncoder } from "./payload.ts";

/** Refuses option mixes the output cannot serve; throws RangeError. */
export function checkHttpOptions(options: HttpOptions): void {
  if (options.body_key || options.headers_key) {
    throw new OptionError("body_key", 'Cannot use "body_key" or "headers_key": not supported yet');
  }
  if (options.http_user !== undefined && options.bearer_token !== undefined) {
    throw new OptionError(
      "bearer_token",
      'Cannot use both "http_user" and "bearer_token": pick one',
    );
  }
}

/** A running http output, with its client (for tests and the URL). */
export interface HttpOutput extends OutputInstance {
  client: HttpClient;
  /** The URL requests go to. */
  url: string;
}

/** An http output instance for parsed `options`. */
export function createHttpOutput(options: HttpOptions, ctx: PluginContext): HttpOutput {
  checkHttpOptions(options);
  const encoder = payloadEncoder(options, {
    escapeUnicode: ctx.settings.jsonEscapeUnicode,
    convertNanToNull: ctx.settings.jsonConvertNanToNull,
  });
  const client = createHttpClient(options, ctx, {
    compressions: ["gzip", "zstd"],
    bearerToken: options.bearer_token,
    duplicateHeaders: options.allow_duplicated_headers,
  });
  const path = normalizePath(options.uri);
  return {
    client,
    url: client.url(path),
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") return;
      let body: Uint8Array | null;
      try {
        body = encoder.encode(chunk.records);
      } catch (e) {
        // A record the format cannot express (a GELF record without a message).
        throw new PermanentError(errorMessage(e), { cause: e });
      }
      if (body === null) return;
      const answer = await postDelivered(client, {
        method: options.http_method,
        path,
        body,
        contentType: encoder.contentType,
        headers: options.header_tag ? { [options.header_tag]: chunk.tag } : undefined,
        logPayload: options.log_response_payload,
      });
      ctx.log.debug(`${client.target}, HTTP status=${answer.status}`);
    },
    close(): Promise<void> {
      client.close();
      return Promise.resolve();
    },
  };
}
