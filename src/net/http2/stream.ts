/** One HTTP/2 stream's state, kept by its session; its owner listens for what arrives. */
import type { HeaderList } from "./hpack.ts";

/** What the owner of a stream hears. */
export interface StreamListener {
  /** HEADERS after the first (a response's headers or trailers on the client). */
  headers(list: HeaderList, endStream: boolean): void;
  /** DATA bytes (a view, copy to keep). */
  data(bytes: Uint8Array): void;
  /** The peer ended its side. */
  end(): void;
  /** The stream was reset or the connection ended. */
  reset(reason: string): void;
  /** The stream made no progress within the idle timeout (else it is cancelled). */
  timeout?(): void;
}

/** A stream: the request headers (server side), windows and ends. */
export class H2Stream {
  readonly id: number;
  headers: HeaderList = [];
  sendWindow: number;
  received = 0;
  remoteEnded = false;
  localEnded = false;
  closed = false;
  resetReason: string | undefined;
  lastActivity = Date.now();
  listener: StreamListener | undefined;

  constructor(id: number, sendWindow: number) {
    this.id = id;
    this.sendWindow = sendWindow;
  }
}
