/**
 * The `tls.*` and `net.*` keys of every network plugin, each declared once, with Fluent
 * Bit's names and defaults: {@link tlsServerOptions} and {@link netServerOptions} for
 * inputs that listen (the HTTP ingress, stream listeners), {@link tlsClientOptions} and
 * {@link netClientOptions} for outputs that connect (the HTTP client, the TCP client), and
 * the listen address every input binds. Plugins spread them into their own table;
 * `sluice plugins NAME` shows them under one shared heading.
 */
import { opt, type OptionSpec, type OptionTable } from "../config/options.ts";

const compat = "Accepted for compatibility";

/** The table {@link listenOptions} returns. */
export type ListenOptionTable = {
  /** Address to listen on. */
  listen: OptionSpec<string>;
  /** Port to listen on. */
  port: OptionSpec<number>;
};

/** `listen` and `port` of a network input, with its default port. */
export function listenOptions(port: number): ListenOptionTable {
  return {
    listen: opt.string("0.0.0.0", "Address to listen on"),
    port: opt.int(port, "Port to listen on", {
      check: (v) => v >= 0 && v <= 65535 ? undefined : `expected a port 0-65535, got ${v}`,
    }),
  };
}

/** The TLS keys of a listener (read by `serverTlsFiles` in `src/net/tls.ts`). */
export const tlsServerOptions = {
  tls: opt.bool(false, "Accept TLS connections; needs tls.crt_file and tls.key_file"),
  "tls.verify": opt.bool(true, `${compat} (client certificates are not asked)`),
  "tls.verify_client_cert": opt.bool(false, compat),
  "tls.debug": opt.int(1, compat),
  "tls.ca_file": opt.string(undefined, compat),
  "tls.ca_path": opt.string(undefined, compat),
  "tls.crt_file": opt.string(undefined, "Certificate chain the listener presents (PEM)"),
  "tls.key_file": opt.string(undefined, "Private key of tls.crt_file (PEM)"),
  "tls.key_passwd": opt.string(undefined, "Not supported: use an unencrypted key file"),
  "tls.vhost": opt.string(undefined, compat),
  "tls.min_version": opt.string(undefined, compat),
  "tls.max_version": opt.string(undefined, compat),
  "tls.ciphers": opt.string(undefined, compat),
} satisfies OptionTable;

/** The `net.*` keys of a listener. */
export const netServerOptions = {
  "net.backlog": opt.int(128, compat),
  "net.io_timeout": opt.duration(
    0,
    "Close a stream connection that sends nothing for this long (0 keeps it open; HTTP " +
      "inputs accept it for compatibility and use http_server.idle_timeout)",
  ),
  "net.keepalive": opt.bool(true, compat),
  "net.keepalive_idle_timeout": opt.duration(30, compat),
  "net.share_port": opt.bool(false, compat),
} satisfies OptionTable;

/** The `net.*` key of the HTTP ingress alone (a sluice addition). */
export const netHttpServerOptions = {
  "net.header_timeout": opt.duration(
    10,
    "Close a connection whose request head is not complete this long after it began",
  ),
} satisfies OptionTable;

/** The connection limit of a stream listener (a sluice addition; HTTP inputs have their own). */
export const netConnectionLimitOptions = {
  "net.max_connections": opt.int(
    1024,
    "Open connections allowed; more are closed at once and counted (0 for no limit)",
    { check: (v) => v >= 0 ? undefined : `expected 0 or more, got ${v}` },
  ),
} satisfies OptionTable;

/** Every `net.*` key of a stream listener: the listener keys and the connection limit. */
export const streamServerOptions: typeof netConnectionLimitOptions & typeof netServerOptions = {
  ...netConnectionLimitOptions,
  ...netServerOptions,
};

/** The TLS keys of a client connection (read by `tlsSettings` in `src/net/tls.ts`). */
export const tlsClientOptions = {
  tls: opt.bool(false, "Use TLS"),
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

/** The option tables above, for `sluice plugins NAME` to show their keys under one heading. */
export const NET_OPTION_TABLES: readonly OptionTable[] = [
  tlsServerOptions,
  netServerOptions,
  netHttpServerOptions,
  netConnectionLimitOptions,
  tlsClientOptions,
  netClientOptions,
];
