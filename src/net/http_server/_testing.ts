/** The ingress server under test on a free port; imported only by this folder's tests. */
import { type HttpServer, type HttpServerOptions, serveHttp } from "./server.ts";
import type { HttpHandler } from "./request.ts";

/** Starts a server on 127.0.0.1 with a free port and generous defaults. */
export function testServer(
  handler: HttpHandler,
  options: Partial<HttpServerOptions> = {},
): HttpServer {
  return serveHttp(handler, {
    hostname: "127.0.0.1",
    port: 0,
    headerTimeoutMs: 5000,
    idleTimeoutMs: 5000,
    maxConnections: 100,
    ...options,
  });
}
