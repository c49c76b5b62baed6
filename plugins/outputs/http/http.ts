/**
 * The http output's stage: one POST per chunk (batch) to `http(s)://host:port/uri`, with
 * the configured format, headers, authentication and compression. Every answer and
 * failure becomes delivered, RetryableError or PermanentError; the engine does the rest.
 */
import { errorMessage } from "../../../src/error_message.ts";
import { PermanentError, RetryableError } from "../../../src/engine/errors.ts";
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { VERSION } from "../../../src/version.ts";
import type { HttpOptions } from "./options.ts";
import { gzip, payloadEncoder } from "./payload.ts";
import { responseError } from "./response.ts";

/** The fixed part of every request: where it goes and with which headers. */
export interface RequestPlan {
  url: string;
  /** `host:port`, for messages. */
  target: string;
  headers: Headers;
  gzip: boolean;
}

/** Splits `Name value` header options; throws SyntaxError on one without a name. */
export function parseHeaders(values: readonly string[]): [string, string][] {
  return values.map((raw) => {
    const m = /^\s*([^\s:]+):?\s*(.*)$/.exec(raw);
    if (!m) {
      throw new SyntaxError(`Cannot read "header" ${JSON.stringify(raw)}: expected "Name value"`);
    }
    return [m[1], m[2].trim()];
  });
}

/** Works out the URL and headers from the options; throws RangeError on a bad mix. */
export function planRequests(options: HttpOptions, contentType: string): RequestPlan {
  if (options.body_key || options.headers_key) {
    throw new OptionError("body_key", 'Cannot use "body_key" or "headers_key": not supported yet');
  }
  if (options.http_user !== undefined && options.bearer_token !== undefined) {
    throw new OptionError(
      "bearer_token",
      'Cannot use both "http_user" and "bearer_token": pick one',
    );
  }
  const host = options.host.includes(":") && !options.host.startsWith("[")
    ? `[${options.host}]`
    : options.host;
  const uri = options.uri.startsWith("/") ? options.uri : `/${options.uri}`;
  const target = `${host}:${options.port}`;
  const headers = new Headers({ "content-type": contentType, "user-agent": `sluice/${VERSION}` });
  const compress = options.compress === "gzip";
  if (compress) headers.set("content-encoding", "gzip");
  if (options.http_user !== undefined) {
    headers.set("authorization", `Basic ${btoa(`${options.http_user}:${options.http_passwd}`)}`);
  } else if (options.bearer_token !== undefined) {
    headers.set("authorization", `Bearer ${options.bearer_token}`);
  }
  if (options["tls.vhost"]) headers.set("host", options["tls.vhost"]);
  const given = new Set<string>();
  for (const [name, value] of parseHeaders(options.header)) {
    const lower = name.toLowerCase();
    // A configured header replaces a default; repeats add values unless duplicates are off.
    if (given.has(lower) && options.allow_duplicated_headers) headers.append(name, value);
    else headers.set(name, value);
    given.add(lower);
  }
  return {
    url: `${options.tls ? "https" : "http"}://${target}${uri}`,
    target,
    headers,
    gzip: compress,
  };
}

function makeClient(options: HttpOptions): Deno.HttpClient {
  const read = (path: string | undefined) =>
    path === undefined ? undefined : Deno.readTextFileSync(path);
  const ca = read(options["tls.ca_file"]);
  const cert = read(options["tls.crt_file"]);
  const key = read(options["tls.key_file"]);
  return Deno.createHttpClient({
    ...(ca ? { caCerts: [ca] } : {}),
    ...(cert && key ? { cert, key } : {}),
    ...(options.proxy ? { proxy: { url: options.proxy } } : {}),
    ...(options["tls.vhost"] ? { allowHost: true } : {}),
    poolIdleTimeout: options["net.keepalive"] ? options["net.keepalive_idle_timeout"] * 1000 : 0,
    ...(options["net.keepalive"] ? {} : { poolMaxIdlePerHost: 0 }),
  });
}

/** An http output instance for parsed `options`. */
export function createHttpOutput(options: HttpOptions, ctx: PluginContext): OutputInstance {
  const encoder = payloadEncoder(options, {
    escapeUnicode: ctx.settings.jsonEscapeUnicode,
    convertNanToNull: ctx.settings.jsonConvertNanToNull,
  });
  const plan = planRequests(options, encoder.contentType);
  if (options.tls && !options["tls.verify"]) {
    ctx.log.warn(
      "tls.verify off: certificates are still verified unless sluice runs with " +
        "--unsafely-ignore-certificate-errors (or use tls.ca_file)",
    );
  }
  const client = makeClient(options);
  const closing = new AbortController();
  const timeoutMs = options["net.io_timeout"] * 1000;
  let closed = false;

  async function post(body: Uint8Array, tag: string): Promise<void> {
    let headers = plan.headers;
    if (options.header_tag) {
      headers = new Headers(plan.headers);
      headers.set(options.header_tag, tag);
    }
    const signal = timeoutMs > 0
      ? AbortSignal.any([closing.signal, AbortSignal.timeout(timeoutMs)])
      : closing.signal;
    let res: Response;
    try {
      res = await fetch(plan.url, {
        method: "POST",
        headers,
        body: body as Uint8Array<ArrayBuffer>,
        client,
        signal,
      });
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new RetryableError(`Cannot send to ${plan.target}: ${why}`, { cause: e });
    }
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel();
      ctx.log.debug(`${plan.target}, HTTP status=${res.status}`);
      return;
    }
    let detail: string | undefined;
    if (options.log_response_payload) detail = (await res.text().catch(() => "")).slice(0, 512);
    else await res.body?.cancel();
    throw responseError(res.status, {
      target: plan.target,
      retryAfter: res.headers.get("retry-after"),
      detail: detail?.trim() || undefined,
    });
  }

  return {
    async write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") return;
      let body: Uint8Array | null;
      try {
        body = encoder.encode(chunk.records);
      } catch (e) {
        // A record the format cannot express (a GELF record without a message).
        throw new PermanentError(errorMessage(e), { cause: e });
      }
      if (body === null) return;
      if (plan.gzip) body = await gzip(body);
      await post(body, chunk.tag);
    },
    close(): Promise<void> {
      if (closed) return Promise.resolve();
      closed = true;
      closing.abort(new Error("the output is closing"));
      client.close();
      return Promise.resolve();
    },
  };
}
