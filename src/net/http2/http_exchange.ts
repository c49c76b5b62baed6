/**
 * Plain HTTP requests over HTTP/2 (an OTLP/HTTP exporter that negotiated h2 over TLS, or
 * curl --http2-prior-knowledge) served by the same handler as HTTP/1.1: the stream becomes
 * an {@link HttpRequest} whose body is what its DATA frames carry (bounded by the caller's
 * limit), and the handler's `Response` goes back as HEADERS and DATA.
 */
import { errorMessage } from "../../error_message.ts";
import type { PluginLogger as Logger } from "../../plugin.ts";
import {
  errorResponse,
  HttpError,
  type HttpHandler,
  type HttpRequest,
  textResponse,
  tooLarge,
} from "../http_server/mod.ts";
import type { HeaderList } from "./hpack.ts";
import type { H2Session, H2Stream } from "./session.ts";

/** Response headers HTTP/2 forbids (connection-specific). */
const HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
]);

/** Serves one HTTP/2 stream through `handler`; never throws. */
export function serveHttpStream(
  session: H2Session,
  stream: H2Stream,
  handler: HttpHandler,
  options: { limit: number; log?: Logger },
): void {
  const headers = new Headers();
  let method = "GET";
  let target = "/";
  for (const [name, value] of stream.headers) {
    if (name === ":method") method = value;
    else if (name === ":path") target = value;
    else if (name === ":authority") headers.set("host", value);
    else if (!name.startsWith(":")) headers.append(name, value);
  }
  const q = target.indexOf("?");
  const parts: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let failed: string | undefined;
  let ended = stream.remoteEnded;
  let wake: (() => void) | undefined;
  stream.listener = {
    headers() {},
    data(bytes) {
      total += bytes.length;
      if (total > options.limit) over = true;
      else parts.push(bytes.slice());
    },
    end() {
      ended = true;
      wake?.();
    },
    reset(why) {
      failed = why;
      wake?.();
    },
  };
  const request: HttpRequest = {
    method,
    path: q === -1 ? target : target.slice(0, q),
    query: q === -1 ? "" : target.slice(q + 1),
    headers,
    remote: "",
    async bytes(limit: number): Promise<Uint8Array> {
      const declared = Number(headers.get("content-length") ?? "");
      if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
      while (!ended && failed === undefined && !over && total <= limit) {
        await new Promise<void>((r) => (wake = r));
      }
      if (failed !== undefined) throw new HttpError(400, `The request was cut: ${failed}`);
      if (over || total > limit) throw tooLarge(limit);
      const out = new Uint8Array(total);
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
  };
  void answer(session, stream, handler, request, options.log);
}

async function answer(
  session: H2Session,
  stream: H2Stream,
  handler: HttpHandler,
  request: HttpRequest,
  log: Logger | undefined,
): Promise<void> {
  let res: Response;
  try {
    res = await handler(request);
  } catch (e) {
    if (e instanceof HttpError) res = errorResponse(e);
    else {
      log?.error(`request failed: ${errorMessage(e)}`);
      res = textResponse(500, "Internal error");
    }
  }
  try {
    const body = new Uint8Array(await res.arrayBuffer());
    const list: HeaderList = [[":status", String(res.status)]];
    res.headers.forEach((value, name) => {
      if (!HOP.has(name)) list.push([name, value]);
    });
    if (request.method === "HEAD" || body.length === 0) {
      session.sendHeaders(stream, list, true);
      return;
    }
    list.push(["content-length", String(body.length)]);
    session.sendHeaders(stream, list, false);
    await session.sendData(stream, body, true);
  } catch {
    // the stream or connection went away: nothing to answer
  }
}
