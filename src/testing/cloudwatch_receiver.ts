/**
 * A local CloudWatch Logs for tests, following the service's documented JSON 1.1 API:
 * CreateLogGroup, CreateLogStream, PutRetentionPolicy, PutLogEvents (chronological order,
 * 10,000 events, 1,048,576 bytes, 24 h span, rejectedLogEventsInfo for events more than 14
 * days old, 2 hours ahead, or past the group's retention), errors as `{"__type", "message"}`
 * with `x-amzn-RequestId`. Every request's SigV4 signature is checked against the known test
 * keys ({@link TestKeys}), so a wrongly signed request fails as it would at AWS. It can go
 * down and come back on the same port, serve TLS, and answer chosen errors.
 */
import type { TestKeys } from "./aws_keys.ts";
import { RestartableReceiver } from "./restartable_server.ts";
import { checkPutLogEvents, type StoredEvent } from "./cloudwatch_put.ts";

export type { StoredEvent } from "./cloudwatch_put.ts";

/** One request as received. */
export interface LogsRequest {
  action: string;
  headers: Headers;
  body: string;
  status: number;
}

/** An error to answer instead of handling a request. */
export interface InjectedError {
  /** Only for this action (all when omitted). */
  action?: string;
  status: number;
  code: string;
  message?: string;
  /** Only for requests naming this log stream. */
  stream?: string;
  /** How many requests get it (default: all until cleared). */
  times?: number;
}

/** The stand-in. */
export class CloudwatchReceiver extends RestartableReceiver {
  /** Streams by group: name to events. */
  readonly groups: Map<string, { retentionDays?: number; streams: Map<string, StoredEvent[]> }> =
    new Map();
  /** Every request, in order. */
  readonly requests: LogsRequest[] = [];
  /** Errors to answer, first match first. */
  errors: InjectedError[] = [];
  /** The keys requests must be signed with. */
  readonly keys: TestKeys;
  /** The region requests must be signed for. */
  region: string;
  #tls?: { cert: string; key: string };
  #seq = 0;

  private constructor(
    keys: TestKeys,
    region: string,
    port: number,
    tls?: { cert: string; key: string },
  ) {
    super({ port, tls });
    this.keys = keys;
    this.region = region;
    this.#tls = tls;
  }

  /** Starts on 127.0.0.1 (port 0: any free port), over TLS when `tls` is given. */
  static start(
    keys: TestKeys,
    options: { region?: string; port?: number; tls?: { cert: string; key: string } } = {},
  ): CloudwatchReceiver {
    const rx = new CloudwatchReceiver(
      keys,
      options.region ?? "us-east-1",
      options.port ?? 0,
      options.tls,
    );
    rx.up();
    return rx;
  }

  /** `http(s)://127.0.0.1:port`. */
  get url(): string {
    return `${this.#tls ? "https" : "http"}://127.0.0.1:${this.port}`;
  }

  /** Creates a group (as an operator would). */
  createGroup(name: string): void {
    if (!this.groups.has(name)) this.groups.set(name, { streams: new Map() });
  }

  /** The events of one stream (empty when absent). */
  events(group: string, stream: string): StoredEvent[] {
    return this.groups.get(group)?.streams.get(stream) ?? [];
  }

  /** Every stored event of every stream. */
  allEvents(): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const g of this.groups.values()) for (const s of g.streams.values()) out.push(...s);
    return out;
  }

  #answer(status: number, doc: unknown): Response {
    return new Response(JSON.stringify(doc), {
      status,
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-RequestId": `req-${++this.#seq}`,
      },
    });
  }

  #error(status: number, code: string, message: string): Response {
    return this.#answer(status, { __type: code, message });
  }

  protected async handle(req: Request): Promise<Response> {
    const bytes = new Uint8Array(await req.arrayBuffer());
    const body = new TextDecoder().decode(bytes);
    const target = req.headers.get("x-amz-target") ?? "";
    const action = target.startsWith("Logs_20140328.") ? target.slice(14) : target;
    const record = { action, headers: req.headers, body, status: 0 };
    this.requests.push(record);
    const res = await this.#route(req, action, bytes, body);
    record.status = res.status;
    return res;
  }

  async #route(req: Request, action: string, bytes: Uint8Array, body: string): Promise<Response> {
    const url = new URL(req.url);
    const refusal = await this.keys.check(req, `${url.pathname}${url.search}`, bytes, {
      service: "logs",
      region: this.region,
    });
    if (refusal) return this.#error(refusal.status, refusal.code, refusal.message);
    const streamOf = /"logStreamName":"([^"]*)"/.exec(body)?.[1];
    const injected = this.errors.find((e) =>
      (e.action === undefined || e.action === action) &&
      (e.stream === undefined || e.stream === streamOf)
    );
    if (injected) {
      if (injected.times !== undefined && --injected.times <= 0) {
        this.errors = this.errors.filter((e) => e !== injected);
      }
      return this.#error(injected.status, injected.code, injected.message ?? injected.code);
    }
    if (req.method !== "POST" || url.pathname !== "/") {
      return this.#error(404, "UnknownOperationException", `${req.method} ${url.pathname}`);
    }
    if (req.headers.get("content-type") !== "application/x-amz-json-1.1") {
      return this.#error(400, "SerializationException", "expected application/x-amz-json-1.1");
    }
    let doc: Record<string, unknown>;
    try {
      doc = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return this.#error(400, "SerializationException", "body is not JSON");
    }
    const group = doc.logGroupName;
    if (typeof group !== "string" || group === "") {
      return this.#error(400, "InvalidParameterException", "logGroupName is required");
    }
    switch (action) {
      case "CreateLogGroup":
        if (this.groups.has(group)) {
          return this.#error(
            400,
            "ResourceAlreadyExistsException",
            "The specified log group already exists",
          );
        }
        this.createGroup(group);
        return new Response(null, {
          status: 200,
          headers: { "x-amzn-RequestId": `req-${++this.#seq}` },
        });
      case "PutRetentionPolicy": {
        const g = this.groups.get(group);
        if (!g) {
          return this.#error(
            400,
            "ResourceNotFoundException",
            "The specified log group does not exist.",
          );
        }
        g.retentionDays = Number(doc.retentionInDays);
        return this.#answer(200, {});
      }
      case "CreateLogStream": {
        const g = this.groups.get(group);
        const stream = doc.logStreamName;
        if (!g) {
          return this.#error(
            400,
            "ResourceNotFoundException",
            "The specified log group does not exist.",
          );
        }
        if (typeof stream !== "string" || stream === "") {
          return this.#error(400, "InvalidParameterException", "logStreamName is required");
        }
        if (g.streams.has(stream)) {
          return this.#error(
            400,
            "ResourceAlreadyExistsException",
            "The specified log stream already exists",
          );
        }
        g.streams.set(stream, []);
        return this.#answer(200, {});
      }
      case "PutLogEvents":
        return this.#put(group, doc);
      default:
        return this.#error(400, "UnknownOperationException", `unknown action ${action}`);
    }
  }

  #put(group: string, doc: Record<string, unknown>): Response {
    const g = this.groups.get(group);
    const stream = typeof doc.logStreamName === "string" ? doc.logStreamName : "";
    const stored = g?.streams.get(stream);
    if (!g || !stored) {
      return this.#error(
        400,
        "ResourceNotFoundException",
        "The specified log stream does not exist.",
      );
    }
    const result = checkPutLogEvents(doc.logEvents, g.retentionDays, Date.now());
    if ("code" in result) return this.#error(result.status, result.code, result.message);
    stored.push(...result.accepted);
    const answer: Record<string, unknown> = {};
    if (Object.keys(result.info).length > 0) answer.rejectedLogEventsInfo = result.info;
    return this.#answer(200, answer);
  }
}
