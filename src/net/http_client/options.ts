/**
 * The one option table of sluice's HTTP client, with Fluent Bit's key names and defaults
 * (`fluent-bit -o http -h`): where to connect, TLS, authentication, headers, compression,
 * proxy and the `net.*` timeouts. Outputs spread it into their own table and may override
 * a key (a different default port, fewer compressions); `sluice plugins NAME` shows these
 * keys in their own section.
 */
import { opt, type OptionTable, type OptionValues } from "../../config/options.ts";

const compat = "Accepted for compatibility";

/** The TLS keys of a client connection. */
export const tlsClientOptions = {
  tls: opt.bool(false, "Use TLS (HTTPS)"),
  "tls.verify": opt.bool(
    true,
    "Check the server's certificate chain; off trusts any certificate, for this output only",
  ),
  "tls.verify_hostname": opt.bool(
    false,
    "Also check that the certificate names host (or tls.vhost), as Fluent Bit does when on",
  ),
  "tls.ca_file": opt.string(undefined, "PEM file of CA certificates to trust besides the system's"),
  "tls.ca_path": opt.string(undefined, "Directory of PEM CA certificates to trust"),
  "tls.crt_file": opt.string(undefined, "PEM client certificate (mutual TLS; needs tls.key_file)"),
  "tls.key_file": opt.string(undefined, "PEM private key of tls.crt_file (unencrypted)"),
  "tls.key_passwd": opt.string(undefined, "Not supported: decrypt the key file instead"),
  "tls.vhost": opt.string(undefined, "Host name sent for TLS SNI (and checked by verify_hostname)"),
  "tls.min_version": opt.string(undefined, "Lowest TLS version: TLSv1.2 or TLSv1.3"),
  "tls.max_version": opt.string(undefined, "Highest TLS version: TLSv1.2 or TLSv1.3"),
  "tls.ciphers": opt.string(undefined, `${compat} (the runtime picks TLS 1.2+ ciphers)`),
  "tls.debug": opt.int(1, compat),
} satisfies OptionTable;

/** The `net.*` keys of a client connection. */
export const netClientOptions = {
  "net.connect_timeout": opt.duration(
    10,
    "Give up connecting (TCP and TLS handshake) after this long",
  ),
  "net.connect_timeout_log_error": opt.bool(true, compat),
  "net.io_timeout": opt.duration(
    0,
    "Give up when a connection in use is silent this long (0 = no limit)",
  ),
  "net.keepalive": opt.bool(true, "Reuse connections between requests"),
  "net.keepalive_idle_timeout": opt.duration(30, "Close a kept-alive connection idle this long"),
  "net.keepalive_max_recycle": opt.int(
    2000,
    "Requests per kept-alive connection before a new one (0 = no limit)",
  ),
  "net.max_worker_connections": opt.int(0, "Most connections open at once (0 = no limit)"),
  "net.source_address": opt.string(undefined, "Local address to connect from"),
  "net.proxy_env_ignore": opt.bool(false, "Ignore HTTP_PROXY, HTTPS_PROXY and NO_PROXY"),
  "net.tcp_keepalive": opt.bool(false, "Send TCP keepalive probes"),
  "net.tcp_keepalive_time": opt.int(-1, "Seconds idle before the first probe (-1 = system)"),
  "net.tcp_keepalive_interval": opt.int(-1, compat),
  "net.tcp_keepalive_probes": opt.int(-1, compat),
  "net.dns.mode": opt.string(undefined, compat),
  "net.dns.resolver": opt.string(undefined, compat),
  "net.dns.prefer_ipv4": opt.bool(false, compat),
  "net.dns.prefer_ipv6": opt.bool(false, compat),
} satisfies OptionTable;

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
