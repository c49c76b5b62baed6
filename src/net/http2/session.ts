/**
 * One HTTP/2 connection, either side (RFC 9113): the preface and SETTINGS exchange, PING,
 * GOAWAY, RST_STREAM, HEADERS with CONTINUATION, DATA with both flow-control windows, and
 * bounds: concurrent streams (more are refused), a header block size, a receive window per
 * stream and per connection (so a connection never buffers more than its window), an idle
 * timeout for the connection and for each stream. Streams are plain objects whose owner
 * (the server handler or a client request) sets a listener.
 */
import { errorMessage } from "../../error_message.ts";
import type { PluginLogger as Logger } from "../../plugin.ts";
import type { ByteStream } from "../stream/dial.ts";
import {
  DEFAULT_MAX_FRAME,
  DEFAULT_WINDOW,
  encodeFrame,
  Flag,
  type Frame,
  FrameType,
  goawayFrame,
  H2Error,
  PREFACE,
  rstFrame,
  Setting,
  settingsFrame,
  unpad,
  windowUpdateFrame,
} from "./frames.ts";
import {
  H2ConnectionError as ConnectionError,
  HeaderBlocks,
  leading31,
  parseSettings,
  readFrames,
} from "./frame_reader.ts";
import { WriteQueue } from "./write_queue.ts";
import { encodeHeaders, HeaderDecoder, type HeaderList } from "./hpack.ts";
import { H2Stream } from "./stream.ts";

export { H2Stream, type StreamListener } from "./stream.ts";

/** How a session behaves and what it may hold. */
export interface SessionOptions {
  role: "server" | "client";
  /** Bytes already read from the connection (a sniffed preface). */
  prefix?: Uint8Array;
  /** Streams open at once; more are refused (server) or wait (client). */
  maxConcurrentStreams: number;
  /** Bytes a stream may receive (its window, never replenished). */
  streamWindow: number;
  /** Bytes all streams together may hold before their owners finish with them. */
  connectionWindow: number;
  /** Milliseconds without any open stream before the connection closes; a stream may stall. */
  idleTimeoutMs: number;
  /** Largest header block (HEADERS plus CONTINUATION) in bytes. */
  maxHeaderBlock?: number;
  /** Server: a peer opened a stream (its headers are in). */
  onStream?: (stream: H2Stream) => void;
  /** The session ended (closed either way). */
  onClose?: () => void;
  log?: Logger;
}

/** A running HTTP/2 connection. */
export class H2Session {
  #io: ByteStream;
  #o: SessionOptions;
  #decoder = new HeaderDecoder();
  #streams = new Map<number, H2Stream>();
  #lastPeerStream = 0;
  #nextStream = 1;
  #peerMaxFrame = DEFAULT_MAX_FRAME;
  #peerInitialWindow = DEFAULT_WINDOW;
  #sendWindow = DEFAULT_WINDOW;
  #recvWindow = DEFAULT_WINDOW;
  #windowWaiters: Array<() => void> = [];
  #writes: WriteQueue;
  #blocks: HeaderBlocks;
  #closed = false;
  #goingAway = false;
  #idleSince = Date.now();
  #timer: ReturnType<typeof setInterval>;
  /** Resolves when the session has ended. */
  readonly done: Promise<void>;

  constructor(io: ByteStream, options: SessionOptions) {
    this.#io = io;
    this.#o = options;
    this.#writes = new WriteQueue(io, (e) => this.#end(`write failed: ${errorMessage(e)}`));
    this.#blocks = new HeaderBlocks(options.maxHeaderBlock ?? 65_536);
    // Frames are small and answered at once: never wait for the peer's delayed ACK.
    try {
      (io as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
    } catch {
      // not a TCP socket, or already closed (the first read ends the session)
    }
    if (options.role === "client") this.#send(PREFACE);
    const grant = options.connectionWindow - DEFAULT_WINDOW;
    this.#send(settingsFrame([
      [Setting.ENABLE_PUSH, 0],
      [Setting.MAX_CONCURRENT_STREAMS, options.maxConcurrentStreams],
      [Setting.INITIAL_WINDOW_SIZE, options.streamWindow],
      [Setting.MAX_HEADER_LIST_SIZE, options.maxHeaderBlock ?? 65_536],
    ]));
    if (grant > 0) {
      this.#send(windowUpdateFrame(0, grant));
      this.#recvWindow += grant;
    }
    this.#timer = setInterval(() => this.#sweep(), Math.min(1000, options.idleTimeoutMs));
    Deno.unrefTimer(this.#timer);
    // Frames already read (the prefix) are handled after the constructor returns, so the
    // owner holds the session before its first stream arrives.
    this.done = Promise.resolve().then(() => this.#read());
  }

  /** Streams open now. */
  get streams(): number {
    return this.#streams.size;
  }

  /** False once the session closed or the peer said GOAWAY: open a new one for new streams. */
  get usable(): boolean {
    return !this.#closed && !this.#goingAway;
  }

  /** Client: opens a stream with `headers`; the caller sets its listener before awaiting. */
  open(headers: HeaderList, endStream: boolean): H2Stream {
    if (!this.usable) throw new Error("the HTTP/2 connection is closed");
    const id = this.#nextStream;
    this.#nextStream += 2;
    const s = new H2Stream(id, this.#peerInitialWindow);
    this.#streams.set(id, s);
    this.#sendHeaders(id, headers, endStream);
    if (endStream) s.localEnded = true;
    return s;
  }

  /** Sends HEADERS (a response, request or trailers). */
  sendHeaders(stream: H2Stream, headers: HeaderList, endStream: boolean): void {
    if (stream.closed) return;
    this.#sendHeaders(stream.id, headers, endStream);
    if (endStream) this.#localEnd(stream);
  }

  /**
   * Sends `data` on `stream` as the windows allow, then `trailers` (ending the stream) when
   * given; resolves once all is queued (at once when the windows have room).
   */
  async sendData(
    stream: H2Stream,
    data: Uint8Array,
    endStream: boolean,
    trailers?: HeaderList,
  ): Promise<void> {
    let at = 0;
    do {
      if (stream.closed || this.#closed) throw new Error(stream.resetReason ?? "stream closed");
      const room = Math.min(stream.sendWindow, this.#sendWindow, this.#peerMaxFrame);
      if (room <= 0 && at < data.length) {
        await new Promise<void>((r) => this.#windowWaiters.push(r));
        continue;
      }
      const n = Math.min(room, data.length - at);
      const last = at + n === data.length;
      this.#send(encodeFrame(
        FrameType.DATA,
        last && endStream ? Flag.END_STREAM : 0,
        stream.id,
        data.subarray(at, at + n),
      ));
      stream.sendWindow -= n;
      this.#sendWindow -= n;
      at += n;
    } while (at < data.length);
    if (trailers) this.sendHeaders(stream, trailers, true);
    else if (endStream) this.#localEnd(stream);
  }

  /** Resets `stream` with `code` (CANCEL, REFUSED_STREAM, ...). */
  reset(stream: H2Stream, code: number): void {
    if (stream.closed) return;
    this.#send(rstFrame(stream.id, code));
    this.#finish(stream, `reset by us (code ${code})`);
  }

  /** Says GOAWAY and closes once the open streams are done (or at once with `now`). */
  close(now = false): void {
    if (this.#closed) return;
    if (!this.#goingAway) {
      this.#goingAway = true;
      this.#send(goawayFrame(this.#lastPeerStream, H2Error.NO_ERROR));
    }
    if (now || this.#streams.size === 0) {
      void this.#writes.drain().finally(() => this.#end("closed"));
    }
  }

  #sendHeaders(id: number, headers: HeaderList, endStream: boolean): void {
    const block = encodeHeaders(headers);
    const max = this.#peerMaxFrame;
    const end = endStream ? Flag.END_STREAM : 0;
    if (block.length <= max) {
      this.#send(encodeFrame(FrameType.HEADERS, end | Flag.END_HEADERS, id, block));
      return;
    }
    this.#send(encodeFrame(FrameType.HEADERS, end, id, block.subarray(0, max)));
    for (let at = max; at < block.length; at += max) {
      const last = at + max >= block.length;
      const part = block.subarray(at, at + max);
      this.#send(encodeFrame(FrameType.CONTINUATION, last ? Flag.END_HEADERS : 0, id, part));
    }
  }

  #localEnd(s: H2Stream): void {
    s.localEnded = true;
    if (s.remoteEnded) this.#finish(s, undefined);
    else if (this.#o.role === "server") {
      // Answered before the request ended: tell the client to stop sending.
      this.#send(rstFrame(s.id, H2Error.NO_ERROR));
      this.#finish(s, undefined);
    }
  }

  /** Forgets a stream and gives its received bytes back to the connection window. */
  #finish(s: H2Stream, reason: string | undefined): void {
    if (s.closed) return;
    s.closed = true;
    if (reason !== undefined) s.resetReason = reason;
    this.#streams.delete(s.id);
    if (this.#streams.size === 0) this.#idleSince = Date.now();
    if (s.received > 0 && !this.#closed) {
      this.#send(windowUpdateFrame(0, s.received));
      this.#recvWindow += s.received;
    }
    if (reason !== undefined) s.listener?.reset(reason);
    this.#wakeWriters(); // a writer waiting for this stream's window sees it closed
    if (this.#goingAway && this.#streams.size === 0) this.close(true);
  }

  #send(frame: Uint8Array): void {
    if (!this.#closed) this.#writes.push(frame);
  }

  async #read(): Promise<void> {
    try {
      await readFrames(this.#io, {
        prefix: this.#o.prefix,
        expectPreface: this.#o.role === "server",
        onFrame: (f) => this.#onFrame(f),
        stop: () => this.#closed,
      });
      this.#end("the peer closed the connection");
    } catch (e) {
      if (e instanceof ConnectionError) {
        this.#o.log?.debug(`HTTP/2 connection error: ${e.message}`);
        this.#send(goawayFrame(this.#lastPeerStream, e.code, e.message));
        await this.#writes.drain();
      }
      this.#end(errorMessage(e));
    }
  }

  #end(reason: string): void {
    if (this.#closed) return;
    this.#o.log?.debug(`HTTP/2 connection ended: ${reason}`);
    this.#closed = true;
    this.#writes.stop();
    clearInterval(this.#timer);
    for (const s of [...this.#streams.values()]) {
      s.closed = true;
      s.resetReason = reason;
      s.listener?.reset(reason);
    }
    this.#streams.clear();
    for (const w of this.#windowWaiters.splice(0)) w();
    try {
      this.#io.close();
    } catch {
      // already closed
    }
    this.#o.onClose?.();
  }

  #sweep(): void {
    const now = Date.now();
    const limit = this.#o.idleTimeoutMs;
    if (this.#streams.size === 0 && now - this.#idleSince > limit) {
      this.close(true);
      return;
    }
    // Only a request still arriving can stall: one that is whole waits for its handler (the
    // engine may hold it while paused), and a client's streams have the caller's timeout.
    if (this.#o.role !== "server") return;
    for (const s of [...this.#streams.values()]) {
      if (!s.remoteEnded && now - s.lastActivity > limit) {
        if (s.listener?.timeout) s.listener.timeout();
        else this.reset(s, H2Error.CANCEL);
      }
    }
  }

  #onFrame(f: Frame): void {
    if (this.#blocks.pending && f.type !== FrameType.CONTINUATION) {
      throw new ConnectionError(H2Error.PROTOCOL_ERROR, "expected a CONTINUATION frame");
    }
    switch (f.type) {
      case FrameType.SETTINGS:
        return this.#onSettings(f);
      case FrameType.PING:
        if (f.payload.length !== 8) {
          throw new ConnectionError(H2Error.FRAME_SIZE_ERROR, "a PING frame is 8 bytes");
        }
        if (!(f.flags & Flag.ACK)) this.#send(encodeFrame(FrameType.PING, Flag.ACK, 0, f.payload));
        return;
      case FrameType.WINDOW_UPDATE:
        return this.#onWindowUpdate(f);
      case FrameType.HEADERS:
      case FrameType.CONTINUATION:
        return this.#onHeaderFrame(f);
      case FrameType.DATA:
        return this.#onData(f);
      case FrameType.RST_STREAM: {
        const s = this.#streams.get(f.stream);
        if (s) this.#finish(s, "the peer reset the stream");
        return;
      }
      case FrameType.GOAWAY:
        this.#goingAway = true;
        if (this.#o.role === "client") {
          const last = leading31(f);
          for (const s of [...this.#streams.values()]) {
            if (s.id > last) this.#finish(s, "the server went away before the stream started");
          }
        }
        if (this.#streams.size === 0) this.close(true);
        return;
      case FrameType.PUSH_PROMISE:
        throw new ConnectionError(H2Error.PROTOCOL_ERROR, "push is disabled");
      default:
        return; // PRIORITY and unknown frame types are ignored
    }
  }

  #onSettings(f: Frame): void {
    if (f.flags & Flag.ACK) return;
    const { initialWindow, maxFrame } = parseSettings(f.payload);
    if (initialWindow !== undefined) {
      const delta = initialWindow - this.#peerInitialWindow;
      this.#peerInitialWindow = initialWindow;
      for (const s of this.#streams.values()) s.sendWindow += delta;
    }
    if (maxFrame !== undefined) this.#peerMaxFrame = maxFrame;
    this.#send(encodeFrame(FrameType.SETTINGS, Flag.ACK, 0));
    this.#wakeWriters();
  }

  #onWindowUpdate(f: Frame): void {
    const inc = leading31(f);
    if (f.stream === 0) {
      this.#sendWindow += inc;
      if (this.#sendWindow > 0x7fffffff) {
        throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, "connection window overflow");
      }
    } else {
      const s = this.#streams.get(f.stream);
      if (s) s.sendWindow += inc;
    }
    this.#wakeWriters();
  }

  #wakeWriters(): void {
    for (const w of this.#windowWaiters.splice(0)) w();
  }

  #onHeaderFrame(f: Frame): void {
    const hb = this.#blocks.take(f);
    if (hb !== null) this.#onHeaders(hb.stream, hb.flags, hb.block);
  }

  #onHeaders(id: number, flags: number, block: Uint8Array): void {
    let headers: HeaderList;
    try {
      headers = this.#decoder.decode(block);
    } catch (e) {
      throw new ConnectionError(H2Error.COMPRESSION_ERROR, `bad header block: ${errorMessage(e)}`);
    }
    const endStream = (flags & Flag.END_STREAM) !== 0;
    const s = this.#streams.get(id);
    if (s) {
      s.lastActivity = Date.now();
      s.listener?.headers(headers, endStream);
      if (endStream) this.#remoteEnd(s);
      return;
    }
    if (this.#o.role === "client") return; // a stream we already forgot
    if (id % 2 === 0 || id <= this.#lastPeerStream) {
      if (id <= this.#lastPeerStream) return; // trailers of a stream we already answered
      throw new ConnectionError(H2Error.PROTOCOL_ERROR, `a client stream with even id ${id}`);
    }
    this.#lastPeerStream = id;
    if (this.#goingAway) return;
    if (this.#streams.size >= this.#o.maxConcurrentStreams) {
      this.#send(rstFrame(id, H2Error.REFUSED_STREAM));
      return;
    }
    const stream = new H2Stream(id, this.#peerInitialWindow);
    stream.headers = headers;
    this.#streams.set(id, stream);
    stream.remoteEnded = endStream;
    this.#o.onStream?.(stream);
    if (endStream && !stream.closed) stream.listener?.end();
  }

  #onData(f: Frame): void {
    const size = f.payload.length;
    this.#recvWindow -= size;
    if (this.#recvWindow < 0) {
      throw new ConnectionError(H2Error.FLOW_CONTROL_ERROR, "the connection window is exceeded");
    }
    const s = this.#streams.get(f.stream);
    if (!s || s.remoteEnded) {
      // A stream already answered or reset: its bytes go back to the window at once.
      this.#send(windowUpdateFrame(0, size));
      this.#recvWindow += size;
      return;
    }
    s.received += size;
    s.lastActivity = Date.now();
    // Until our SETTINGS reach it, a peer may send the default window's worth.
    if (s.received > Math.max(DEFAULT_WINDOW, this.#o.streamWindow)) {
      this.reset(s, H2Error.FLOW_CONTROL_ERROR);
      return;
    }
    let data: Uint8Array;
    try {
      data = unpad(f);
    } catch (e) {
      throw new ConnectionError(H2Error.PROTOCOL_ERROR, errorMessage(e));
    }
    if (data.length > 0) s.listener?.data(data);
    if (f.flags & Flag.END_STREAM && !s.closed) this.#remoteEnd(s);
  }

  #remoteEnd(s: H2Stream): void {
    s.remoteEnded = true;
    s.listener?.end();
    if (s.localEnded) this.#finish(s, undefined);
  }
}
