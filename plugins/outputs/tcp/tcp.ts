/**
 * The tcp output: each chunk formatted in one payload and written whole over one kept
 * connection (src/net/stream/client.ts). A failed connect or write is a RetryableError for
 * the engine; the next write reconnects. As in Fluent Bit there is no acknowledgement, so a
 * retry after a write the peer did not read may repeat that chunk.
 */
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import { TcpClient } from "../../../src/net/stream/client.ts";
import { tlsSettings } from "../../../src/net/tls.ts";
import type { TcpOutputOptions } from "./options.ts";
import { payloadEncoder } from "./payload.ts";

/** A tcp output instance for parsed `options`. */
export function createTcpOutput(options: TcpOutputOptions, ctx: PluginContext): OutputInstance {
  const encode = payloadEncoder(options, {
    escapeUnicode: ctx.settings.jsonEscapeUnicode,
    convertNanToNull: ctx.settings.jsonConvertNanToNull,
  });
  const client = new TcpClient({
    host: options.host,
    port: options.port,
    connectTimeout: options["net.connect_timeout"],
    tls: options.tls ? tlsSettings(options) : undefined,
    log: ctx.log,
  });
  return {
    async write(chunk) {
      if (chunk.signal !== "logs") return;
      const payload = encode(chunk.records);
      if (payload) await client.write(payload);
    },
    close: () => client.close(),
  };
}
