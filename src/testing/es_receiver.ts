/**
 * A local stand-in for Elasticsearch's `_bulk` API, for output tests (no Elasticsearch
 * installs here). It follows the documented request and answer shapes: NDJSON action and
 * document lines, `application/x-ndjson` required, gzip bodies, Basic and ApiKey
 * authentication answered with a `security_exception` 401, version 8's refusal of `_type`,
 * per-item answers with `errors`, `items`, `status`, `error.type`/`reason`, 409 version
 * conflicts on `create` of an existing `_id`, AWS SigV4 checked as Amazon OpenSearch does, and mapping errors for values a `long` field
 * cannot take, a document with a key twice refused, answers cut to `filter_path`. Tests add faults: items answered 429 (`busy`), the server down and back on
 * the same port.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const es = await EsReceiver.start({ mappings: { n: "long" } });
 * const body = '{"create":{"_index":"a"}}\n{"n":1}\n{"create":{"_index":"a"}}\n{"n":"x"}\n';
 * const res = await fetch(`http://127.0.0.1:${es.port}/_bulk`, {
 *   method: "POST",
 *   headers: { "content-type": "application/x-ndjson" },
 *   body,
 * });
 * const answer = await res.json();
 * assertEquals([answer.errors, answer.items[0].create.status, answer.items[1].create.status], [
 *   true,
 *   201,
 *   400,
 * ]);
 * assertEquals(es.docs("a").map((d) => d.n), [1]);
 * await es.stop();
 * ```
 */

import { verifySignature } from "../net/aws/verify.ts";
import { basicAuth } from "../net/http_client/headers.ts";
import { gunzip, RestartableReceiver } from "./restartable_server.ts";

/** One bulk request as received. */
export interface EsRequest {
  path: string;
  headers: Headers;
  /** The NDJSON text (gunzipped). */
  body: string;
  status: number;
}

/** How the receiver behaves. */
export interface EsReceiverOptions {
  port?: number;
  /** Field types of every index: a `long` field refuses values that are not integers. */
  mappings?: Record<string, "long">;
  /** Accepted credentials: Basic user and password, and/or an API key. */
  auth?: { user?: [string, string]; apiKey?: string };
  /** Refuse `_type` in action lines, as Elasticsearch 8 does. */
  refuseType?: boolean;
  /** Path prefix the bulk API sits under (`/es` serves `/es/_bulk`). */
  prefix?: string;
  /**
   * Require AWS SigV4 as Amazon OpenSearch Service does: the secret of each access key, and
   * the region and service the scope must name; a bad signature is answered 403.
   */
  aws?: { secrets: Record<string, string>; region: string; service: string };
}

type Doc = Record<string, unknown>;

function esError(status: number, type: string, reason: string, headers?: HeadersInit): Response {
  return Response.json({
    error: { root_cause: [{ type, reason }], type, reason },
    status,
  }, { status, headers });
}

let idSeq = 0;

/** The first top-level key of a JSON object text that appears twice, as Elasticsearch refuses. */
export function duplicateKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const raw = text.slice(i, j + 1);
      let k = j + 1;
      while (text[k] === " ") k++;
      if (depth === 1 && text[k] === ":") {
        const key = JSON.parse(raw) as string;
        if (seen.has(key)) return key;
        seen.add(key);
      }
      i = j;
    }
  }
  return undefined;
}

/** `value` with only the parts `paths` name (`a.b`, `*` for any key), as `filter_path` does. */
function filterPath(value: unknown, paths: string[]): unknown {
  if (paths.some((p) => p === "")) return value;
  if (Array.isArray(value)) return value.map((v) => filterPath(v, paths));
  if (value === null || typeof value !== "object") return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const rest = paths.filter((p) => p.split(".")[0] === k || p.split(".")[0] === "*")
      .map((p) => p.split(".").slice(1).join("."));
    if (rest.length === 0) continue;
    const kept = filterPath(v, rest);
    if (kept !== undefined) out[k] = kept;
  }
  return out;
}

/** The receiver. */
export class EsReceiver extends RestartableReceiver {
  /** Every bulk request, in order. */
  readonly requests: EsRequest[] = [];
  /** Items to answer 429 to: return true for a document to refuse it this time. */
  busy: ((doc: Doc) => boolean) | undefined;
  /** Answer this many signed requests with AWS's 403 for an expired security token. */
  awsExpired = 0;
  /** Answer every request with this status and an error body (undefined: serve normally). */
  failAll: number | undefined;
  #o: EsReceiverOptions;
  #indexes = new Map<string, Map<string, Doc>>();

  private constructor(o: EsReceiverOptions) {
    super({ port: o.port });
    this.#o = o;
  }

  /** Starts on 127.0.0.1 (a free port unless given). */
  static async start(o: EsReceiverOptions = {}): Promise<EsReceiver> {
    const rx = new EsReceiver(o);
    await rx.up();
    return rx;
  }

  /** The documents of `index`, in the order they were indexed. */
  docs(index: string): Doc[] {
    return [...(this.#indexes.get(index)?.values() ?? [])];
  }

  /** Every index name. */
  indexes(): string[] {
    return [...this.#indexes.keys()];
  }

  /** Every document of every index. */
  allDocs(): Doc[] {
    return [...this.#indexes.values()].flatMap((m) => [...m.values()]);
  }

  #authorized(h: Headers): boolean {
    const auth = this.#o.auth;
    if (!auth) return true;
    const given = h.get("authorization") ?? "";
    if (auth.user && given === basicAuth(...auth.user)) return true;
    return auth.apiKey !== undefined && given === `ApiKey ${auth.apiKey}`;
  }

  protected async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const wire = new Uint8Array(await req.arrayBuffer());
    let bytes: Uint8Array = wire;
    if (req.headers.get("content-encoding") === "gzip") bytes = await gunzip(bytes);
    const text = new TextDecoder().decode(bytes);
    const record = (res: Response) => {
      this.requests.push({
        path: url.pathname + url.search,
        headers: req.headers,
        body: text,
        status: res.status,
      });
      return res;
    };
    const bulkPath = `${this.#o.prefix ?? ""}/_bulk`;
    if (url.pathname.replace(/\/$/, "") !== bulkPath || req.method !== "POST") {
      return record(esError(404, "not_found", `no handler found for uri [${url.pathname}]`));
    }
    if (this.#o.aws) {
      const aws = this.#o.aws;
      const v = await verifySignature(
        { method: req.method, target: url.pathname + url.search, headers: req.headers, body: wire },
        (id) => aws.secrets[id],
      );
      const why = !v.ok
        ? v.message
        : v.region !== aws.region || v.service !== aws.service
        ? `Credential should be scoped to a valid region and service ${aws.service}`
        : undefined;
      if (why !== undefined) return record(Response.json({ message: why }, { status: 403 }));
      if (this.awsExpired > 0) {
        this.awsExpired--;
        return record(
          Response.json({ message: "The security token included in the request is expired" }, {
            status: 403,
          }),
        );
      }
    }
    if (!this.#authorized(req.headers)) {
      return record(esError(
        401,
        "security_exception",
        `unable to authenticate user for REST request [${url.pathname}]`,
        { "WWW-Authenticate": 'Basic realm="security" charset="UTF-8"' },
      ));
    }
    if (this.failAll !== undefined) {
      return record(esError(this.failAll, "cluster_block_exception", "fault injected by the test"));
    }
    const type = req.headers.get("content-type") ?? "";
    if (!/^application\/(x-ndjson|json)/.test(type)) {
      return record(
        esError(
          406,
          "media_type_header_exception",
          `Content-Type header [${type}] is not supported`,
        ),
      );
    }
    return record(this.#bulk(text, url.searchParams.get("filter_path")));
  }

  #bulk(text: string, filter: string | null): Response {
    const lines = text.split("\n");
    if (lines.at(-1) !== "") {
      return esError(
        400,
        "illegal_argument_exception",
        "The bulk request must be terminated by a newline [\\n]",
      );
    }
    lines.pop();
    const items: Record<string, unknown>[] = [];
    let errors = false;
    for (let i = 0; i < lines.length; i += 2) {
      let action: Record<string, Record<string, unknown>>;
      let doc: Doc;
      try {
        action = JSON.parse(lines[i]!);
        doc = JSON.parse(lines[i + 1] ?? "");
      } catch (e) {
        return esError(400, "x_content_parse_exception", `[${i + 1}:1] ${(e as Error).message}`);
      }
      const op = Object.keys(action)[0]!;
      const meta = action[op]!;
      if (this.#o.refuseType && "_type" in meta) {
        return esError(
          400,
          "illegal_argument_exception",
          `Action/metadata line [${i + 1}] contains an unknown parameter [_type]`,
        );
      }
      const index = String(meta._index);
      const id = typeof meta._id === "string" ? meta._id : `auto${++idSeq}`;
      const answer = (status: number, extra: Record<string, unknown>) => {
        if (status >= 300) errors = true;
        items.push({ [op]: { _index: index, _id: id, status, ...extra } });
      };
      const source = op === "update" ? (doc.doc as Doc) : doc;
      const twice = op === "update" ? undefined : duplicateKey(lines[i + 1]!);
      if (twice !== undefined) {
        answer(400, {
          error: {
            type: "document_parsing_exception",
            reason: `[1:1] failed to parse: Duplicate field '${twice}'`,
          },
        });
        continue;
      }
      if (this.busy?.(source)) {
        answer(429, {
          error: {
            type: "es_rejected_execution_exception",
            reason: "rejected execution of coordinating operation",
          },
        });
        continue;
      }
      const bad = Object.entries(this.#o.mappings ?? {}).find(([field]) =>
        field in source && !Number.isInteger(Number(source[field]))
      );
      if (bad) {
        answer(400, {
          error: {
            type: "document_parsing_exception",
            reason: `[1:${i + 2}] failed to parse field [${
              bad[0]
            }] of type [long] in document with id '${id}'. Preview of field's value: '${
              source[bad[0]]
            }'`,
            caused_by: {
              type: "illegal_argument_exception",
              reason: `For input string: "${source[bad[0]]}"`,
            },
          },
        });
        continue;
      }
      const docs = this.#indexes.get(index) ?? new Map<string, Doc>();
      this.#indexes.set(index, docs);
      if (op === "create" && docs.has(id)) {
        answer(409, {
          error: {
            type: "version_conflict_engine_exception",
            reason: `[${id}]: version conflict, document already exists (current version [1])`,
          },
        });
        continue;
      }
      const existed = docs.has(id);
      docs.set(id, op === "update" ? { ...docs.get(id), ...source } : source);
      answer(existed ? 200 : 201, {
        _version: 1,
        result: existed ? "updated" : "created",
        _shards: { total: 2, successful: 1, failed: 0 },
        _seq_no: docs.size - 1,
        _primary_term: 1,
      });
    }
    if (filter === null) return Response.json({ errors, took: 3, items });
    return Response.json(filterPath({ errors, took: 3, items }, filter.split(",")));
  }
}
