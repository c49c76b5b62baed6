/**
 * The http input's request handler and lifecycle: POST only, the tag from the URL path
 * (or `tag_key` per record), a body read and inflated within `buffer_max_size`, records
 * through the ingress queue, and the configured success status only once the engine took
 * them. Malformed bodies are counted, logged once with a sample, and answered 400.
 */
import type { InputContext, InputInstance } from "../../../src/plugin.ts";
import type { MetricFamily } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { compileAccessor, type RecordAccessor } from "../../../src/event/record_accessor.ts";
import {
  HttpError,
  httpPushInput,
  type HttpRequest,
  httpServerSettings,
  IngressQueue,
  readBody,
  RETRY_AFTER_SECONDS,
  textResponse,
} from "../../../src/net/http_server/mod.ts";
import type { HttpInputOptions } from "./options.ts";
import { type Entry, parsePayload, PayloadError, payloadFormat } from "./payload.ts";

/**
 * Decoded records take about this many times their JSON size in memory (a record of ~90
 * JSON bytes is ~250 bytes of JS objects); chunk sizes count that, so `mem_buf_limit` and the
 * in-flight cap bound what the records really hold.
 */
const MEMORY_FACTOR = 3;

/** A running http input. */
export interface HttpInput extends InputInstance {
  /** Resolves with the bound port once listening. */
  listening: Promise<number>;
  /** Answers one request (tests drive it without a socket). */
  handle(request: HttpRequest): Promise<Response>;
}

/** The tag of a URL path: without its leading `/`, other than `[A-Za-z0-9_.]` made `_`. */
export function tagOfPath(path: string): string {
  return path.replace(/^\//, "").replace(/[^A-Za-z0-9_.]/g, "_");
}

function successHeaders(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const [, name, value] = /^\s*(\S+)\s+(.*?)\s*$/.exec(v) ?? [];
    if (name === undefined || value === undefined) {
      throw new RangeError(`Cannot parse "success_header": expected "NAME VALUE", got "${v}"`);
    }
    out[name.toLowerCase()] = value;
  }
  return out;
}

function tagOf(entry: Entry, accessor: RecordAccessor | undefined, fallback: string): string {
  if (accessor === undefined) return fallback;
  const v = accessor.get(entry.body);
  return typeof v === "string" && v !== "" ? v.replace(/[^A-Za-z0-9_.]/g, "_") : fallback;
}

class Handler {
  #ctx: InputContext;
  #queue: IngressQueue;
  #limit: number;
  #code: number;
  #headers: Record<string, string>;
  #tagKey: RecordAccessor | undefined;
  #requests: MetricFamily;
  #malformed: MetricFamily;
  #warned = false;

  constructor(
    ctx: InputContext,
    queue: IngressQueue,
    o: { limit: number; code: number; headers: Record<string, string>; tagKey?: RecordAccessor },
  ) {
    this.#ctx = ctx;
    this.#queue = queue;
    this.#limit = o.limit;
    this.#code = o.code;
    this.#headers = o.headers;
    this.#tagKey = o.tagKey;
    this.#requests = ctx.metrics.counter(
      "sluice_input_http_requests_total",
      "Requests answered by an http input, by status code.",
    );
    this.#malformed = ctx.metrics.counter(
      "sluice_input_http_malformed_total",
      "Request bodies an http input could not read as records.",
    );
  }

  async handle(request: HttpRequest): Promise<Response> {
    let res: Response;
    try {
      res = await this.#handle(request);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      res = textResponse(e.status, `error: ${e.message}`, e.headers);
    }
    this.#requests.inc({ name: this.#ctx.name, code: String(res.status) });
    return res;
  }

  #unavailable(message: string): never {
    throw new HttpError(503, message, { "retry-after": String(RETRY_AFTER_SECONDS) });
  }

  async #handle(request: HttpRequest): Promise<Response> {
    if (request.method !== "POST") throw new HttpError(400, "invalid HTTP method");
    const type = request.headers.get("content-type");
    if (type === null) throw new HttpError(400, "header 'Content-Type' is not set");
    const format = payloadFormat(type);
    if (format === null) throw new HttpError(400, "invalid 'Content-Type'");
    if (this.#queue.closed) this.#unavailable("the input is shutting down");
    const body = await readBody(request, {
      limit: this.#limit,
      codings: ["gzip", "deflate", "zstd"],
    });
    if (body.length === 0) throw new HttpError(400, "no payload found");
    let entries: Entry[];
    try {
      entries = parsePayload(body, format);
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
      this.#malformed.inc({ name: this.#ctx.name });
      const sample = new TextDecoder().decode(body.subarray(0, 80)).replace(/\s+/g, " ");
      const line = `unable to process records from ${request.remote}: ${e.message}; sample: ${
        JSON.stringify(sample)
      }`;
      if (this.#warned) this.#ctx.log.debug(line);
      else this.#ctx.log.warn(`${line} (later ones are logged at debug)`);
      this.#warned = true;
      throw new HttpError(400, "unable to process records");
    }
    const chunks = this.#chunks(entries, tagOfPath(request.path) || this.#ctx.tag, body.length);
    if (chunks.length > 0) {
      const accepted = this.#queue.offer(chunks, body.length);
      if (accepted === null) this.#unavailable("the input's ingress queue is full: retry later");
      if (!await accepted) this.#unavailable("the pipeline did not take the request: retry later");
    }
    return new Response(null, { status: this.#code, headers: this.#headers });
  }

  #chunks(entries: Entry[], tag: string, bytes: number): Chunk[] {
    const now = EventTime.now();
    const byTag = new Map<string, LogRecord[]>();
    for (const e of entries) {
      const t = tagOf(e, this.#tagKey, tag);
      let list = byTag.get(t);
      if (!list) byTag.set(t, list = []);
      list.push({ time: e.time ?? now, metadata: e.metadata ?? {}, body: e.body });
    }
    const out: Chunk[] = [];
    for (const [t, records] of byTag) {
      out.push(this.#ctx.chunk(records, {
        tag: t,
        bytes: Math.ceil(bytes * MEMORY_FACTOR * records.length / entries.length),
      }));
    }
    return out;
  }
}

/** Creates the input without binding; the server starts when `chunks` is first pulled. */
export function createHttpInput(options: HttpInputOptions, ctx: InputContext): HttpInput {
  const http = httpServerSettings(options);
  let code = options.successful_response_code;
  if (![200, 201, 204].includes(code)) {
    ctx.log.error(`${code} is not supported response code. Use default 201`);
    code = 201;
  }
  const queue = new IngressQueue(http.queue);
  const handler = new Handler(ctx, queue, {
    limit: http.bodyLimit,
    code,
    headers: successHeaders(options.success_header),
    tagKey: options.tag_key ? compileAccessor(options.tag_key) : undefined,
  });
  const handle = (req: HttpRequest) => handler.handle(req);
  const runtime = httpPushInput(ctx, queue, {
    handler: handle,
    server: { ...http.server, paused: () => ctx.isPaused() },
    label: "HTTP",
  });
  return { ...runtime, handle };
}
