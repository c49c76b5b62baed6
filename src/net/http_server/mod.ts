/**
 * sluice's HTTP ingress: a bounded HTTP/1.1 server (header and idle timeouts, connection
 * limit, head and body limits, TLS, auth, 503 while paused), body decoding with the limit
 * held while inflating, the shared listener option table, and the queue that answers a
 * client only once the engine took its records.
 */
export {
  type HttpServer,
  type HttpServerOptions,
  RETRY_AFTER_SECONDS,
  serveHttp,
} from "./server.ts";
export { fromWebRequest, type HttpHandler, type HttpRequest, tooLarge } from "./request.ts";
export { errorResponse, HttpError, textResponse } from "./errors.ts";
export { type ContentCoding, inflate, parseContentEncoding, readBody } from "./body.ts";
export { authorized, type IngressAuth, parseBasic, parseBearer, unauthorized } from "./auth.ts";
export {
  DEFAULT_MAX_CONNECTIONS,
  httpServerOptions,
  type HttpServerOptionTable,
  type HttpServerOptionValues,
  type HttpServerSettings,
  httpServerSettings,
} from "./options.ts";
export { type IngressLimits, IngressQueue } from "../ingress_queue.ts";
export { type HttpPushInput, httpPushInput } from "./push_input.ts";
export { staticResponse } from "./response.ts";
