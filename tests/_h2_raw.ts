/**
 * A raw HTTP/2 client for hostile-input tests: it writes whatever frames a test builds
 * (with src/net/http2's frame writers) and records what comes back per stream: header
 * lists, data bytes, RST_STREAM codes, and a GOAWAY.
 */
import {
  encodeFrame,
  Flag,
  FrameType,
  parseFrame,
  PREFACE,
  settingsFrame,
} from "../src/net/http2/frames.ts";
import { encodeHeaders, HeaderDecoder, type HeaderList } from "../src/net/http2/hpack.ts";

/** What came back on one stream. */
export interface RawStream {
  headers: HeaderList[];
  data: number;
  rst?: number;
  ended: boolean;
}

/** A connected raw HTTP/2 client. */
export class RawH2 {
  readonly streams = new Map<number, RawStream>();
  goaway: number | undefined;
  closed = false;
  #conn: Deno.Conn;
  #decoder = new HeaderDecoder();
  #reading: Promise<void>;

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
    this.#reading = this.#read();
  }

  /** Connects to 127.0.0.1:`port`, sends the preface and empty SETTINGS. */
  static async connect(port: number): Promise<RawH2> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    const c = new RawH2(conn);
    await c.write(PREFACE);
    await c.write(settingsFrame([]));
    return c;
  }

  /** Writes raw bytes. */
  async write(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) at += await this.#conn.write(bytes.subarray(at));
  }

  /** HEADERS of a gRPC call on `id` with `extra` headers. */
  async call(id: number, extra: HeaderList = [], endStream = false): Promise<void> {
    const names = new Set(extra.map(([n]) => n));
    const list: HeaderList = [
      [":method", "POST"],
      [":scheme", "http"],
      [":path", "/opentelemetry.proto.collector.trace.v1.TraceService/Export"],
      [":authority", "localhost"],
      ["content-type", "application/grpc"],
      ["te", "trailers"],
    ];
    const headers = [...list.filter(([n]) => !names.has(n)), ...extra];
    const flags = Flag.END_HEADERS | (endStream ? Flag.END_STREAM : 0);
    await this.write(encodeFrame(FrameType.HEADERS, flags, id, encodeHeaders(headers)));
  }

  /** DATA on `id` (split into 16 KiB frames). */
  async data(id: number, bytes: Uint8Array, endStream: boolean): Promise<void> {
    for (let at = 0; at < bytes.length || at === 0; at += 16_384) {
      const last = at + 16_384 >= bytes.length;
      const part = bytes.subarray(at, at + 16_384);
      await this.write(
        encodeFrame(FrameType.DATA, last && endStream ? Flag.END_STREAM : 0, id, part),
      );
      if (bytes.length === 0) break;
    }
  }

  /** The status of stream `id` (from its last header list), once it has one. */
  status(id: number): string | undefined {
    const s = this.streams.get(id);
    for (const list of [...(s?.headers ?? [])].reverse()) {
      const v = list.find(([n]) => n === "grpc-status");
      if (v) return v[1];
    }
    return undefined;
  }

  /** Closes the connection and waits for the reader. */
  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
    await this.#reading;
  }

  #stream(id: number): RawStream {
    let s = this.streams.get(id);
    if (!s) this.streams.set(id, s = { headers: [], data: 0, ended: false });
    return s;
  }

  async #read(): Promise<void> {
    let buf = new Uint8Array(0);
    const chunk = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const n = await this.#conn.read(chunk);
        if (n === null) break;
        const next = new Uint8Array(buf.length + n);
        next.set(buf);
        next.set(chunk.subarray(0, n), buf.length);
        buf = next;
        let f;
        while ((f = parseFrame(buf, 1 << 24)) !== null) {
          buf = buf.slice(9 + f.payload.length);
          const view = new DataView(f.payload.buffer, f.payload.byteOffset, f.payload.length);
          if (f.type === FrameType.HEADERS) {
            const s = this.#stream(f.stream);
            s.headers.push(this.#decoder.decode(f.payload));
            if (f.flags & Flag.END_STREAM) s.ended = true;
          } else if (f.type === FrameType.DATA) {
            const s = this.#stream(f.stream);
            s.data += f.payload.length;
            if (f.flags & Flag.END_STREAM) s.ended = true;
          } else if (f.type === FrameType.RST_STREAM) {
            this.#stream(f.stream).rst = view.getUint32(0);
          } else if (f.type === FrameType.GOAWAY) this.goaway = view.getUint32(4);
          else if (f.type === FrameType.SETTINGS && !(f.flags & Flag.ACK)) {
            await this.write(encodeFrame(FrameType.SETTINGS, Flag.ACK, 0));
          }
        }
      }
    } catch {
      // reset or closed
    }
    this.closed = true;
  }
}
