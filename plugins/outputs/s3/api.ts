/**
 * The S3 calls of the output (REST, path-style `/<bucket>/<key>`, signed with the body's
 * SHA-256 in X-Amz-Content-Sha256): PutObject, CreateMultipartUpload, UploadPart,
 * CompleteMultipartUpload, AbortMultipartUpload. Failures become RetryableError or
 * PermanentError with S3's code and message.
 */
import { createHash } from "node:crypto";
import { RetryableError } from "../../../src/engine/errors.ts";
import { uriEncode } from "../../../src/net/aws/canonical.ts";
import type { ServiceClient } from "../../../src/net/aws/service_client.ts";
import { awsCallError, readAwsError } from "../../../src/net/aws/service_error.ts";
import type { HttpAnswer } from "../../../src/net/http_client/client.ts";
import { xmlText } from "../../../src/net/aws/sts.ts";

/** Headers every object gets (Content-Type, Content-Encoding, ACL, storage class). */
export type ObjectHeaders = Record<string, string>;

function header(answer: HttpAnswer, name: string): string | undefined {
  const v = answer.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function md5Base64(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("base64");
}

/** The S3 API of one bucket. */
export class S3Api {
  #client: ServiceClient;
  #bucket: string;
  #autoRetry: boolean;

  /** Calls for `bucket` over `client`. */
  constructor(client: ServiceClient, bucket: string, autoRetry: boolean) {
    this.#client = client;
    this.#bucket = bucket;
    this.#autoRetry = autoRetry;
  }

  /** `/<bucket>/<key>`, encoded as S3 signs it. */
  path(key: string): string {
    return `/${uriEncode(this.#bucket)}${uriEncode(key.startsWith("/") ? key : `/${key}`, true)}`;
  }

  async #send(
    what: string,
    req: { method: string; target: string; headers?: Record<string, string>; body?: Uint8Array },
  ): Promise<HttpAnswer> {
    const full = { ...req, body: req.body ?? new Uint8Array() };
    let answer: HttpAnswer;
    try {
      answer = await this.#client.send(full);
    } catch (e) {
      if (!(e instanceof RetryableError) || !this.#autoRetry) throw e;
      answer = await this.#client.send(full);
    }
    if (answer.status >= 200 && answer.status < 300) return answer;
    throw awsCallError(readAwsError(answer), `${what} to ${this.#client.target}`, answer);
  }

  /** Puts one whole object. */
  async putObject(key: string, body: Uint8Array, headers: ObjectHeaders, md5: boolean) {
    const h = { ...headers };
    if (md5) h["Content-MD5"] = md5Base64(body);
    await this.#send(`PutObject ${key}`, {
      method: "PUT",
      target: this.path(key),
      headers: h,
      body,
    });
  }

  /** Starts a multipart upload; resolves with its UploadId. */
  async createMultipart(key: string, headers: ObjectHeaders): Promise<string> {
    const answer = await this.#send(`CreateMultipartUpload ${key}`, {
      method: "POST",
      target: `${this.path(key)}?uploads=`,
      headers,
    });
    const id = xmlText(new TextDecoder().decode(answer.body), "UploadId");
    if (!id) throw new RetryableError(`CreateMultipartUpload ${key} answered without an UploadId`);
    return id;
  }

  /** Sends one part; resolves with its ETag. */
  async uploadPart(key: string, uploadId: string, part: number, body: Uint8Array) {
    const answer = await this.#send(`UploadPart ${part} of ${key}`, {
      method: "PUT",
      target: `${this.path(key)}?partNumber=${part}&uploadId=${uriEncode(uploadId)}`,
      body,
    });
    const etag = header(answer, "etag");
    if (!etag) throw new RetryableError(`UploadPart ${part} of ${key} answered without an ETag`);
    return etag;
  }

  /** Completes an upload from its parts. */
  async completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly { PartNumber: number; ETag: string }[],
  ) {
    const xml = '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      parts.map((p) =>
        `<Part><ETag>${p.ETag}</ETag><PartNumber>${p.PartNumber}</PartNumber></Part>`
      )
        .join("") +
      "</CompleteMultipartUpload>";
    const answer = await this.#send(`CompleteMultipartUpload ${key}`, {
      method: "POST",
      target: `${this.path(key)}?uploadId=${uriEncode(uploadId)}`,
      body: new TextEncoder().encode(xml),
    });
    // S3 may answer 200 with an error document when completing fails late.
    const text = new TextDecoder().decode(answer.body);
    if (/<Error>/.test(text)) {
      throw new RetryableError(
        `CompleteMultipartUpload ${key} failed: ${xmlText(text, "Code")}: ${
          xmlText(text, "Message")
        }`,
      );
    }
  }

  /** Aborts an upload (its parts are dropped by S3). */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.#send(`AbortMultipartUpload ${key}`, {
      method: "DELETE",
      target: `${this.path(key)}?uploadId=${uriEncode(uploadId)}`,
    });
  }
}
