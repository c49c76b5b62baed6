/**
 * gRPC over sluice's own HTTP/2 (src/net/http2): unary calls served on an ingress port
 * next to HTTP/1.1, a unary client, length-prefixed messages with gzip and the ingress
 * limits, and status codes with the OTLP retry rules.
 */
export { GrpcIngress } from "./ingress.ts";
export {
  type GrpcCall,
  type GrpcHandler,
  type GrpcReply,
  type GrpcServerOptions,
  serveGrpc,
} from "./server.ts";
export { declaredLength, frameMessage, readMessage } from "./message.ts";
export {
  decodeGrpcMessage,
  encodeGrpcMessage,
  GrpcCode,
  grpcCodeName,
  grpcCodeOfHttp,
  GrpcError,
  retryableCode,
  retryInfoDetails,
} from "./status.ts";
export { GrpcClient, type GrpcClientOptions, type GrpcResult } from "./client.ts";
