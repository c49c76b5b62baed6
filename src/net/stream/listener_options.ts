/** What a stream listener is given, and what it hands back and counts. */
import type { PluginLogger as Logger, PluginMetrics } from "../../plugin.ts";
import type { Framing } from "./framers.ts";
import type { ServerTlsFiles } from "../tls.ts";

/** Where and how a stream listener listens. */
export interface StreamListenOptions {
  /** A TCP port (optionally TLS) or a unix socket path. */
  transport: "tcp" | "unix";
  /** Bind address (tcp); defaults to 0.0.0.0. */
  hostname?: string;
  /** Port (tcp); 0 picks a free one. */
  port?: number;
  /** Socket path (unix); a stale socket file there is replaced. */
  path?: string;
  /** Serve TLS (tcp only) with this PEM certificate chain and key, read from files. */
  tls?: ServerTlsFiles;
  /** How each connection's bytes are cut into frames. */
  framing: Framing;
  /** Largest frame kept per connection, in bytes. */
  maxFrameBytes: number;
  /** Bytes asked of the socket per read; defaults to 64 KiB. */
  readSize?: number;
  /** Open connections allowed; 0 (default) for no limit. */
  maxConnections?: number;
  /** Seconds a connection may send nothing before it is closed; 0 (default) for never. */
  idleTimeout?: number;
  /** Where accept, read and framing problems are logged. */
  log: Logger;
  /** Metrics labelled with `name`: refused, idle-closed, oversize, framing errors, open. */
  metrics?: PluginMetrics;
  /** The owning instance's name, for metric labels. */
  name?: string;
}

/** Frames from one read of one connection. */
export interface FrameBatch {
  /** The complete frames, in order. */
  frames: Uint8Array[];
  /** The peer, as Fluent Bit writes it: `tcp://ip:port` or `unix://path`. */
  peer: string;
  /** Bytes read that produced these frames. */
  bytes: number;
  /** True when the connection ended with this batch. */
  last: boolean;
}

/** Counts a listener keeps (also exported as metrics when a registry is given). */
export interface ListenerStats {
  /** Connections accepted. */
  accepted: number;
  /** Connections closed at once because the limit was reached. */
  refused: number;
  /** Connections closed for sending nothing within the idle timeout. */
  idleClosed: number;
  /** Frames skipped for being longer than the frame limit. */
  oversize: number;
  /** Connections closed because their bytes could not be framed. */
  framingErrors: number;
  /** Connections open now. */
  open: number;
}
