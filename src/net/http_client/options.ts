/**
 * The one option table of sluice's HTTP client, with Fluent Bit's key names and defaults
 * (`fluent-bit -o http -h`): where to connect, TLS, authentication, headers, compression,
 * proxy and the `net.*` timeouts (the `tls.*` and `net.*` keys declared in `src/net/options.ts`).
 * Outputs spread it into their own table and may override
 * a key (a different default port, fewer compressions); `sluice plugins NAME` shows these
 * keys in their own section.
 */
import { opt, type OptionTable, type OptionValues } from "../../config/options.ts";
import { netClientOptions, tlsClientOptions } from "../options.ts";

/** Every key of the HTTP client. */
export const httpClientOptions = {
  host: opt.string("127.0.0.1", "Server host name or IP address (IPv6 without brackets)"),
  port: opt.int(80, "Server TCP port", {
    check: (v) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`,
  }),
  uri: opt.string("/", "Path of the request, e.g. /something"),
  http_user: opt.string(undefined, "Basic authentication user"),
  http_passwd: opt.string("", "Basic authentication password (with http_user)"),
  header: opt.multi("A `Name value` header added to every request; may repeat"),
  compress: opt.string(undefined, "Compress request bodies: gzip or zstd (snappy is refused)", {
    choices: ["gzip", "zstd", "snappy", "none"],
  }),
  proxy: opt.string(
    undefined,
    "HTTP proxy as http://[user:pass@]host:port (default: HTTP_PROXY / HTTPS_PROXY, " +
      "minus NO_PROXY)",
  ),
  "http.response_timeout": opt.duration(
    60,
    "Give up on a request the server has not fully answered after this long (0 = no limit)",
  ),
  ...tlsClientOptions,
  ...netClientOptions,
} satisfies OptionTable;

/** Parsed HTTP client options. */
export type HttpClientValues = OptionValues<typeof httpClientOptions>;
