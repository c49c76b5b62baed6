/** Peer addresses written as Fluent Bit writes them for `source_address_key`. */

/**
 * `tcp://ip:port`, `udp://ip:port` (IPv6 in brackets) or `unix://path`.
 *
 * @example
 * ```ts
 * peerAddress("tcp", "10.0.0.5", 4000); // "tcp://10.0.0.5:4000"
 * ```
 */
export function peerAddress(scheme: "tcp" | "udp", hostname: string, port: number): string {
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  return `${scheme}://${host}:${port}`;
}

/** The peer of a stream connection; a unix peer is named by the listening socket's path. */
export function streamPeer(addr: Deno.Addr, listenPath?: string): string {
  if ("hostname" in addr) return peerAddress(addr.transport, addr.hostname, addr.port);
  if ("path" in addr) return `unix://${addr.path || listenPath || ""}`;
  return `unix://${listenPath ?? ""}`;
}
