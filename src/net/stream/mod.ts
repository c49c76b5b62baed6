/**
 * Stream transport for network plugins: a TCP, TLS or unix-socket listener that cuts each
 * connection's bytes into frames (separator, octet counting, msgpack values, JSON values)
 * with a per-connection frame limit, read pausing under backpressure, a connection limit
 * and an idle timeout; one two-way client connection (`dial`, TCP, TLS or unix) and a
 * reconnecting TCP/TLS client for outputs on it.
 *
 * @module
 */
export {
  type FrameBatch,
  type Framing,
  type ListenerStats,
  StreamListener,
  type StreamListenOptions,
} from "./listener.ts";
export { type Framer, type FramerHooks, separatorFramer, unescapeSeparator } from "./framing.ts";
export { octetCountingFramer } from "./octet_framer.ts";
export { MsgpackFramer, msgpackFramer } from "./msgpack_framer.ts";
export { msgpackEnd, type ScanState, scanValue } from "./msgpack_scan.ts";
export { jsonFramer } from "./json_framer.ts";
export { type AcceptOptions, type ConnectionHandler, ConnectionListener } from "./accept.ts";
export { TcpClient, type TcpClientOptions } from "./client.ts";
export { type ByteStream, dial, dialEndpoint, type DialOptions } from "./dial.ts";
export { peerAddress, streamPeer } from "./peer.ts";
export type { ServerTlsFiles } from "../tls.ts";
export { checkKibSize, kibSize } from "./options.ts";
export {
  listenOptions,
  type ListenOptionTable,
  netConnectionLimitOptions,
  netServerOptions,
  streamServerOptions,
  tlsServerOptions,
} from "../options.ts";
