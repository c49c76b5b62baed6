/**
 * The forward input's lifecycle: `create` checks the options and binds nothing (so
 * `sluice validate` binds nothing); the listener (TCP, TLS or unix socket) starts when the
 * engine first pulls chunks, and stops on abort or close. Each connection is served by
 * `receive.ts`; all of them feed one bounded ingress, so a slow pipeline stops reading
 * every socket instead of dropping.
 */
import { ConnectionListener } from "../../../src/net/stream/mod.ts";
import { serverTlsFiles, serverTlsPem } from "../../../src/net/tls.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { type InputContext, type InputInstance, OptionError } from "../../../src/plugin.ts";
import type { ForwardSecurity } from "../../../src/forward/mod.ts";
import { IngressQueue } from "../../../src/net/ingress_queue.ts";
import { type ForwardInputOptions, usersOf } from "./options.ts";
import { receive, type ReceiveContext } from "./receive.ts";

/** A running forward input. */
export interface ForwardInput extends InputInstance {
  /** Resolves with the bound port (or the unix socket path) once listening. */
  listening: Promise<number | string>;
}

function securityOf(o: ForwardInputOptions): ForwardSecurity | null {
  const users = usersOf(o["security.users"]);
  const key = o.empty_shared_key ? "" : o.shared_key;
  if (key === undefined) {
    if (users.size > 0) {
      throw new OptionError(
        "security.users",
        "security.users is set but no shared_key or empty_shared_key",
      );
    }
    return null;
  }
  return { sharedKey: key, selfHostname: o.self_hostname, users };
}

/**
 * Creates the input; the socket is bound when `chunks` is first pulled.
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { EventTime } from "../../../src/event/event_time.ts";
 * import { DEFAULT_ENCODING, encodeForwardLogs } from "../../../src/forward/mod.ts";
 * import { testInputContext } from "../../../src/testing/input_context.ts";
 * import { forwardInputOptions } from "./options.ts";
 *
 * const ctx = testInputContext({ name: "forward.0" });
 * const options = { ...defaultsOf(forwardInputOptions), listen: "127.0.0.1", port: 0 };
 * const input = createForwardInput(options as never, ctx);
 * const chunks = input.chunks[Symbol.asyncIterator]();
 * const first = chunks.next(); // the first pull binds the port
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: await input.listening as number });
 * const record = { time: new EventTime(1, 0), metadata: {}, body: { a: 1 } };
 * await conn.write(encodeForwardLogs("app", [record], DEFAULT_ENCODING).bytes);
 * const { value: chunk } = await first;
 * chunk?.ack.release();
 * conn.close();
 * ctx.controller.abort();
 * await chunks.next();
 * await input.close?.();
 * ```
 */
export function createForwardInput(o: ForwardInputOptions, ctx: InputContext): ForwardInput {
  const security = securityOf(o);
  let tls: { cert: string; key: string } | undefined;
  try {
    const files = serverTlsFiles(o);
    tls = files ? serverTlsPem(files) : undefined;
  } catch (e) {
    throw new OptionError("tls", (e as Error).message);
  }
  // Room for one whole message (more always fits one): past it, connections stop reading.
  const ingress = new IngressQueue({ events: Number.POSITIVE_INFINITY, bytes: o.buffer_max_size });
  let stop: () => void = () => {};
  const stopped = new Promise<void>((r) => (stop = r));
  const rc: ReceiveContext = {
    ctx,
    ingress,
    session: { security, maxDecompressedBytes: Math.max(o.buffer_max_size, 64 << 20) },
    maxFrameBytes: o.buffer_max_size,
    readBytes: Math.min(o.buffer_chunk_size, 256 * 1024),
    tagPrefix: o.tag_prefix,
    tagOverride: ctx.tag !== ctx.name ? ctx.tag : undefined,
    refused: ctx.metrics.counter(
      "sluice_input_forward_refused_total",
      "Forward connections closed for a bad message or handshake, by reason.",
    ),
    skipped: ctx.metrics.counter(
      "sluice_input_forward_skipped_entries_total",
      "Malformed entries skipped inside otherwise good forward messages.",
    ),
    acks: ctx.metrics.counter(
      "sluice_input_forward_acks_total",
      "Acks sent to forward clients, each once its chunks were safe.",
    ),
    warned: new Set(),
    stopped,
  };
  const refusedConns = ctx.metrics.counter(
    "sluice_input_forward_connections_refused_total",
    "Forward connections closed at once because net.max_connections were open.",
  );
  let listener: ConnectionListener | undefined;
  let onListen: (a: number | string) => void = () => {};
  let onFail: (e: unknown) => void = () => {};
  const listening = new Promise<number | string>((resolve, reject) => {
    onListen = resolve;
    onFail = reject;
  });
  listening.catch(() => {});
  let closing: Promise<void> | undefined;
  function shutdown(): Promise<void> {
    stop();
    ingress.close();
    closing ??= listener ? listener.close().then(() => listener?.settled()) : Promise.resolve();
    return closing;
  }

  async function* chunks(): AsyncGenerator<Chunk> {
    if (ctx.signal.aborted) return;
    try {
      listener = await ConnectionListener.listen({
        hostname: o.listen,
        port: o.port,
        ...(o.unix_path ? { unixPath: o.unix_path } : {}),
        ...(o.unix_perm ? { unixPerm: o.unix_perm } : {}),
        ...(tls ? { tls } : {}),
        maxConnections: o["net.max_connections"],
        onRefused: () => refusedConns.inc({ name: ctx.name }),
      }, (conn, peer) => receive(rc, conn, peer));
    } catch (e) {
      onFail(e);
      const where = o.unix_path ? o.unix_path : `${o.listen}:${o.port}`;
      throw new Error(`Cannot listen on ${where}: ${(e as Error).message}`);
    }
    const where = o.unix_path ? `unix://${o.unix_path}` : `${o.listen}:${listener.address}`;
    ctx.log.info(
      `listening on ${where} (forward${tls ? " over TLS" : ""}${security ? ", secure" : ""})`,
    );
    onListen(listener.address);
    const onAbort = (): void => void shutdown();
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    try {
      yield* ingress.take();
    } finally {
      ctx.signal.removeEventListener("abort", onAbort);
      await shutdown();
    }
  }

  return { chunks: chunks(), listening, close: shutdown };
}
