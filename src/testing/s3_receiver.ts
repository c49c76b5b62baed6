/**
 * A local S3 for tests, following the REST API (path-style `/<bucket>/<key>`): PutObject,
 * CreateMultipartUpload, UploadPart (ETag = the part's quoted MD5), CompleteMultipartUpload
 * (parts in order, ETags matching, every part but the last at least 5 MiB, else
 * EntityTooSmall), AbortMultipartUpload; errors as S3's XML `<Error><Code>`. Every request's
 * SigV4 signature is checked with the known test keys, S3's way (the path as sent, the
 * X-Amz-Content-Sha256 header matching the body), so a wrong signature fails the test. It can
 * go down and come back on the same port.
 */
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { TestKeys } from "./aws_keys.ts";
import { RestartableReceiver } from "./restartable_server.ts";

/** One stored object. */
export interface StoredObject {
  body: Uint8Array;
  headers: Headers;
  /** How it was made. */
  via: "PutObject" | "CompleteMultipartUpload";
  /** Parts it was made of (multipart). */
  parts?: number;
}

/** One request as received. */
export interface S3Request {
  method: string;
  target: string;
  headers: Headers;
  bytes: number;
  status: number;
}

const MIN_PART = 5 * 1024 * 1024;

/** The stand-in. */
export class S3Receiver extends RestartableReceiver {
  /** Objects by key (without the leading slash). */
  readonly objects: Map<string, StoredObject> = new Map();
  /** Uploads in progress by id. */
  readonly uploads: Map<string, { key: string; headers: Headers; parts: Map<number, Uint8Array> }> =
    new Map();
  /** Every request, in order. */
  readonly requests: S3Request[] = [];
  /** The buckets that exist. */
  readonly buckets: Set<string>;
  /** The keys requests must be signed with. */
  readonly keys: TestKeys;
  /** The signing region. */
  region: string;
  #seq = 0;

  private constructor(keys: TestKeys, buckets: string[], region: string, port: number) {
    super({ port });
    this.keys = keys;
    this.buckets = new Set(buckets);
    this.region = region;
  }

  /** Starts on 127.0.0.1 with `buckets`. */
  static start(
    keys: TestKeys,
    options: { buckets?: string[]; region?: string; port?: number } = {},
  ): S3Receiver {
    const rx = new S3Receiver(
      keys,
      options.buckets ?? ["logs"],
      options.region ?? "us-east-1",
      options.port ?? 0,
    );
    rx.up();
    return rx;
  }

  /** `http://127.0.0.1:port`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The object's body as text, gunzipped when it was stored with Content-Encoding gzip. */
  text(key: string): string {
    const o = this.objects.get(key);
    if (!o) return "";
    const raw = o.headers.get("content-encoding") === "gzip" ? gunzipSync(o.body) : o.body;
    return new TextDecoder().decode(raw);
  }

  /** Every line of every object, in key order. */
  lines(): string[] {
    return [...this.objects.keys()].sort().flatMap((k) =>
      this.text(k).split("\n").filter((l) => l !== "")
    );
  }

  #error(status: number, code: string, message: string): Response {
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>` +
        `<RequestId>r${++this.#seq}</RequestId></Error>`,
      { status, headers: { "content-type": "application/xml" } },
    );
  }

  #xml(body: string, headers: Record<string, string> = {}): Response {
    return new Response(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`, {
      headers: { "content-type": "application/xml", ...headers },
    });
  }

  protected async handle(req: Request): Promise<Response> {
    const body = new Uint8Array(await req.arrayBuffer());
    const url = new URL(req.url);
    const target = `${url.pathname}${url.search}`;
    const record = {
      method: req.method,
      target,
      headers: req.headers,
      bytes: body.length,
      status: 0,
    };
    this.requests.push(record);
    const res = await this.#route(req, url, target, body);
    record.status = res.status;
    return res;
  }

  async #route(req: Request, url: URL, target: string, body: Uint8Array): Promise<Response> {
    const refusal = await this.keys.check(
      req,
      target,
      body,
      { service: "s3", region: this.region },
      { normalizePath: false, uriEscapePath: false },
    );
    if (refusal) {
      const code = refusal.code === "InvalidSignatureException"
        ? "SignatureDoesNotMatch"
        : refusal.code === "UnrecognizedClientException"
        ? "InvalidAccessKeyId"
        : refusal.code === "ExpiredTokenException"
        ? "ExpiredToken"
        : refusal.code;
      return this.#error(code === "ExpiredToken" ? 400 : 403, code, refusal.message);
    }
    if (!req.headers.get("x-amz-content-sha256")) {
      return this.#error(400, "InvalidRequest", "Missing required header x-amz-content-sha256");
    }
    const [, bucket = "", ...rest] = url.pathname.split("/");
    if (!this.buckets.has(decodeURIComponent(bucket))) {
      return this.#error(404, "NoSuchBucket", "The specified bucket does not exist");
    }
    const key = decodeURIComponent(rest.join("/"));
    if (key === "") return this.#error(400, "InvalidRequest", "no key");
    const q = url.searchParams;
    if (req.method === "PUT" && !q.has("uploadId")) {
      const md5 = req.headers.get("content-md5");
      if (md5 && md5 !== createHash("md5").update(body).digest("base64")) {
        return this.#error(400, "BadDigest", "The Content-MD5 you specified did not match");
      }
      this.objects.set(key, { body, headers: req.headers, via: "PutObject" });
      return new Response(null, { headers: { etag: `"${md5hex(body)}"` } });
    }
    if (req.method === "POST" && q.has("uploads")) {
      const id = `upload-${++this.#seq}`;
      this.uploads.set(id, { key, headers: req.headers, parts: new Map() });
      return this.#xml(
        `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key>` +
          `<UploadId>${id}</UploadId></InitiateMultipartUploadResult>`,
      );
    }
    const upload = this.uploads.get(q.get("uploadId") ?? "");
    if (q.has("uploadId") && (!upload || upload.key !== key)) {
      return this.#error(404, "NoSuchUpload", "The specified upload does not exist");
    }
    if (req.method === "PUT" && upload) {
      const n = Number(q.get("partNumber"));
      if (!Number.isInteger(n) || n < 1 || n > 10_000) {
        return this.#error(400, "InvalidArgument", "Part number must be 1-10000");
      }
      upload.parts.set(n, body);
      return new Response(null, { headers: { etag: `"${md5hex(body)}"` } });
    }
    if (req.method === "POST" && upload) {
      const xml = new TextDecoder().decode(body);
      const parts = [
        ...xml.matchAll(/<Part><ETag>([^<]*)<\/ETag><PartNumber>(\d+)<\/PartNumber><\/Part>/g),
      ]
        .map((m) => ({ etag: m[1]!, n: Number(m[2]) }));
      if (parts.length === 0) return this.#error(400, "MalformedXML", "no parts");
      const chunks: Uint8Array[] = [];
      for (const [i, p] of parts.entries()) {
        const data = upload.parts.get(p.n);
        if (!data || `"${md5hex(data)}"` !== p.etag) {
          return this.#error(400, "InvalidPart", `part ${p.n} was not uploaded with that ETag`);
        }
        if (i > 0 && p.n <= parts[i - 1]!.n) {
          return this.#error(400, "InvalidPartOrder", "parts must be in ascending order");
        }
        if (i < parts.length - 1 && data.length < MIN_PART) {
          return this.#error(
            400,
            "EntityTooSmall",
            "Your proposed upload is smaller than the minimum allowed size",
          );
        }
        chunks.push(data);
      }
      const size = chunks.reduce((n, c) => n + c.length, 0);
      const all = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      this.objects.set(key, {
        body: all,
        headers: upload.headers,
        via: "CompleteMultipartUpload",
        parts: parts.length,
      });
      this.uploads.delete(q.get("uploadId")!);
      return this.#xml(
        `<CompleteMultipartUploadResult><Key>${key}</Key></CompleteMultipartUploadResult>`,
      );
    }
    if (req.method === "DELETE" && upload) {
      this.uploads.delete(q.get("uploadId")!);
      return new Response(null, { status: 204 });
    }
    return this.#error(405, "MethodNotAllowed", `${req.method} ${target}`);
  }
}

function md5hex(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}
