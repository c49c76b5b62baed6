/**
 * The node-compatible modules the transport uses, each imported the first time it is needed:
 * loading node:http, node:tls or node:zlib costs tens of milliseconds and megabytes of heap,
 * so a config that never sends over HTTP, never uses TLS and never compresses does not pay for
 * them at start. A static `import` of a `node:` module also stays on the start path of the
 * bundle (it cannot be deferred there), which is why only these loaders import them.
 */
import type Http from "node:http";
import type Https from "node:https";
import type Tls from "node:tls";
import type Zlib from "node:zlib";

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => loaded ??= load();
}

/** node:http, loaded once. */
export const nodeHttp: () => Promise<typeof Http> = once(async () =>
  (await import("node:http")).default
);
/** node:https, loaded once. */
export const nodeHttps: () => Promise<typeof Https> = once(async () =>
  (await import("node:https")).default
);
/** node:tls, loaded once. */
export const nodeTls: () => Promise<typeof Tls> = once(async () =>
  (await import("node:tls")).default
);
/** node:zlib, loaded once. */
export const nodeZlib: () => Promise<typeof Zlib> = once(async () =>
  (await import("node:zlib")).default
);
