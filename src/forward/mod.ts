/**
 * The Fluentd Forward protocol v1 with Fluent Bit's extensions, as pure functions over
 * bytes and values (no sockets): message decoding for the `forward` input, message encoding
 * for the `forward` output, the secure-forward handshake for both sides, msgpack framing
 * with bounded lengths, and the cmetrics/ctraces payloads of `fluent_signal`.
 *
 * @example
 * ```ts
 * import { logRecord } from "../event/log_record.ts";
 *
 * const records = [logRecord({ msg: "hi" })];
 * const frame = encodeForwardLogs("app", records, DEFAULT_ENCODING).bytes;
 * const msg = decodeForwardFrame(frame, { maxDecompressedBytes: 64 << 20 });
 * msg.records.length === records.length; // true
 * ```
 */
export { ForwardError, type ForwardErrorReason, framingError } from "./errors.ts";
export {
  decodeForwardFrame,
  decodeForwardMessage,
  type DecodeOptions,
  type ForwardMessage,
  type ForwardMode,
  type ForwardSignal,
} from "./decode.ts";
export {
  ackOf,
  chunkId,
  DEFAULT_ENCODING,
  encodeAck,
  type EncodedForward,
  encodeForwardLogs,
  encodeForwardMessage,
  encodeForwardMetrics,
  encodeForwardSpans,
  type ForwardEncoding,
  randomChunkId,
} from "./encode.ts";
export {
  checkPing,
  checkPong,
  decodeHelo,
  encodeHelo,
  encodePing,
  encodePong,
  type Helo,
  passwordDigest,
  type PingCheck,
  type PingCredentials,
  type PingResult,
  sharedKeyDigest,
} from "./handshake.ts";
export { decodeCmetrics } from "./cmetrics.ts";
export { type CmetricsEncoding, encodeCmetrics } from "./cmetrics_encode.ts";
export { decodeCtraces, encodeCtraces } from "./ctraces.ts";
export { gunzip, gzip } from "./gzip.ts";
export {
  type ForwardSecurity,
  ForwardSession,
  type SessionOptions,
  type SessionStep,
} from "./session.ts";
