/** The HTTP load of the ingest benchmarks: bodies POSTed by concurrent clients in this process. */

/** How {@link postAll} sends. */
export interface LoadOptions {
  /** Requests to send; body `i` is `bodies[i % bodies.length]`. */
  requests: number;
  /** Concurrent client loops. */
  clients: number;
  /** The content-type header of every request. */
  contentType: string;
  /** Milliseconds before a request answered 503 is sent again. */
  retryMs: number;
}

/**
 * POSTs `options.requests` bodies to `url`; a 503 (the receiver pushing back) is counted
 * and retried, any other non-2xx answer throws. Resolves with the 503 count.
 */
export async function postAll(
  url: string,
  bodies: readonly Uint8Array[],
  options: LoadOptions,
): Promise<number> {
  let next = 0;
  let refused = 0;
  async function client(): Promise<void> {
    while (next < options.requests) {
      const body = bodies[next++ % bodies.length];
      for (;;) {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": options.contentType },
          body: body as Uint8Array<ArrayBuffer>,
        });
        await res.body?.cancel();
        if (res.status >= 200 && res.status < 300) break;
        if (res.status !== 503) throw new Error(`the receiver answered ${res.status}`);
        refused++;
        await new Promise((r) => setTimeout(r, options.retryMs));
      }
    }
  }
  await Promise.all(Array.from({ length: options.clients }, client));
  return refused;
}
