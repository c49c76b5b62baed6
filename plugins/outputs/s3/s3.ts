/**
 * The s3 output's stage, as Fluent Bit's out_s3 works: each chunk's records (JSON lines with
 * the date key, or the `log_key` values) are appended to the tag's buffer file in
 * `store_dir` and synced to disk, and only then is the chunk acknowledged; a timer (every
 * upload_timeout / 6, between 0.5 and 60 s) sends what is due. At shutdown everything
 * buffered is sent; what cannot be stays in the store and is sent by the next start.
 */
import { OptionError, type OutputInstance, type PluginContext } from "../../../src/plugin.ts";
import { errorMessage } from "../../../src/error_message.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { encodeJsonRecords, parseDateKey } from "../../../src/event/json_format.ts";
import { jsonValue } from "../../../src/event/json_value.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import { RetryableError } from "../../../src/engine/errors.ts";
import { defaultCredentials } from "../../../src/net/aws/credentials.ts";
import { serviceEndpoint } from "../../../src/net/aws/endpoint.ts";
import { ServiceClient } from "../../../src/net/aws/service_client.ts";
import { type Compression, parseCompression } from "../../../src/net/http_client/compress.ts";
import { S3Api } from "./api.ts";
import { MIN_PART_SIZE, type S3Options } from "./options.ts";
import { type BufferFile, S3Store } from "./store.ts";
import { Uploader } from "./uploader.ts";

const MAX_PART_SIZE = 50_000_000;

/** The settings derived from the options; throws OptionError as Fluent Bit refuses them. */
export function checkS3Options(o: S3Options): { usePutObject: boolean; compression?: Compression } {
  if (!o.s3_key_format.startsWith("/")) {
    throw new OptionError("s3_key_format", `Cannot use "s3_key_format": it must start with "/"`);
  }
  if (o.total_file_size < 1_000_000) {
    throw new OptionError("total_file_size", `Cannot use "total_file_size": the minimum is 1M`);
  }
  if (o.total_file_size > 50_000_000_000) {
    throw new OptionError("total_file_size", `Cannot use "total_file_size": the maximum is 50G`);
  }
  let compression: Compression | undefined;
  const c = o.compression?.toLowerCase();
  if (c === "arrow" || c === "parquet") {
    throw new OptionError(
      "compression",
      `Cannot use compression ${c}: not supported by sluice; use gzip or zstd`,
    );
  }
  try {
    compression = parseCompression(o.compression);
  } catch (e) {
    throw new OptionError("compression", errorMessage(e));
  }
  // Fluent Bit: under 10 MB files go up with PutObject.
  const usePutObject = o.use_put_object || o.total_file_size < 2 * MIN_PART_SIZE;
  if (!usePutObject) {
    if (o.upload_chunk_size > o.total_file_size) {
      throw new OptionError(
        "upload_chunk_size",
        "upload_chunk_size can not be larger than total_file_size",
      );
    }
    if (o.upload_chunk_size < MIN_PART_SIZE) {
      throw new OptionError(
        "upload_chunk_size",
        "upload_chunk_size must be at least 5,242,880 bytes",
      );
    }
    if (!compression && o.upload_chunk_size > MAX_PART_SIZE) {
      throw new OptionError("upload_chunk_size", "Max upload_chunk_size is 50MB");
    }
    if (o.upload_chunk_size !== MIN_PART_SIZE && o.upload_chunk_size * 2 > o.total_file_size) {
      throw new OptionError("total_file_size", "total_file_size is less than 2x upload_chunk_size");
    }
  } else if (o.total_file_size > 1_000_000_000) {
    throw new OptionError(
      "total_file_size",
      "Max total_file_size is 1G when use_put_object is enabled",
    );
  }
  return { usePutObject, compression };
}

/** Extra knobs for tests. */
export interface S3Internals {
  /** Timer period, ms (upload_timeout / 6 clamped to 0.5-60 s by default). */
  tickMs?: number;
  /** Longest the uploads at shutdown may take, ms (10 s by default). */
  finalLimitMs?: number;
}

/** An s3 output instance for parsed `options`. */
export async function createS3Output(
  o: S3Options,
  ctx: PluginContext,
  internals: S3Internals = {},
): Promise<OutputInstance> {
  const { usePutObject, compression } = checkS3Options(o);
  if (o.blob_database_file !== undefined || o.authorization_endpoint_url !== undefined) {
    ctx.log.warn(
      "blob file uploads are not supported yet: blob_database_file and the " +
        "authorization_endpoint_* keys are ignored",
    );
  }
  const bucket = o.bucket ?? "";
  let endpoint: URL;
  try {
    endpoint = serviceEndpoint("s3", o.region, o.endpoint, o.port);
  } catch (e) {
    throw new OptionError("endpoint", errorMessage(e));
  }
  const store = await S3Store.open(`${o.store_dir.replace(/\/+$/, "")}/${bucket}`);
  const credentials = defaultCredentials({
    region: o.region,
    roleArn: o.role_arn,
    externalId: o.external_id,
    stsEndpoint: o.sts_endpoint,
    profile: o.profile,
  });
  const client = new ServiceClient({
    endpoint,
    region: o.region,
    service: "s3",
    credentials,
    client: o,
    sign: { contentSha256Header: true, normalizePath: false, uriEscapePath: false },
  });
  const headers: Record<string, string> = {};
  if (o.content_type) headers["Content-Type"] = o.content_type;
  if (compression) headers["Content-Encoding"] = compression;
  if (o.canned_acl) headers["x-amz-acl"] = o.canned_acl;
  if (o.storage_class) headers["x-amz-storage-class"] = o.storage_class;
  const uploader = new Uploader(new S3Api(client, bucket, o.auto_retry_requests), store, {
    keyFormat: o.s3_key_format,
    delimiters: o.s3_key_format_tag_delimiters,
    staticFilePath: o.static_file_path,
    usePutObject,
    totalFileSize: o.total_file_size,
    chunkSize: usePutObject ? o.total_file_size : o.upload_chunk_size,
    uploadTimeoutMs: o.upload_timeout * 1000,
    compression,
    headers,
    md5: o.send_content_md5,
  }, ctx);
  await uploader.load();
  const dateKey = parseDateKey(o.json_date_key);
  const active = new Map<string, BufferFile>();
  let sealed: BufferFile[] = await store.files(); // left by an earlier run
  if (sealed.length > 0) {
    ctx.log.info(`${sealed.length} buffered files from an earlier run will be sent`);
  }
  let busy: Promise<void> = Promise.resolve();
  let closed = false;

  function encode(chunk: LogChunk): Uint8Array {
    if (o.log_key === undefined) {
      return encodeJsonRecords(chunk.records, {
        format: "json_lines",
        dateKey,
        dateFormat: o.json_date_format,
        escapeUnicode: ctx.settings.jsonEscapeUnicode,
        convertNanToNull: ctx.settings.jsonConvertNanToNull,
      });
    }
    let text = "";
    for (const r of chunk.records) {
      if (isGroupMarker(r) || !Object.hasOwn(r.body, o.log_key)) continue;
      const v = r.body[o.log_key];
      text += (typeof v === "string" ? v : jsonValue(v)) + "\n";
    }
    return new TextEncoder().encode(text);
  }

  /** Runs `fn` after whatever store work is under way (one at a time). */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = busy.then(fn);
    busy = run.then(() => {}, () => {});
    return run;
  }

  async function pass(final: boolean): Promise<void> {
    const now = Date.now();
    for (const [tag, f] of active) {
      if (final || uploaderDue(f, now)) {
        active.delete(tag);
        sealed.push(f);
      }
    }
    const due = uploader.dueFiles(sealed, final);
    const done = await uploader.pass(due, final);
    sealed = sealed.filter((f) => !done.has(f.id));
  }

  function uploaderDue(f: BufferFile, now: number): boolean {
    const limit = usePutObject ? o.total_file_size : o.upload_chunk_size;
    return f.size >= limit || now - f.createdAt >= o.upload_timeout * 1000;
  }

  const finalLimitMs = internals.finalLimitMs ?? 10_000;
  const tickMs = internals.tickMs ??
    Math.min(60_000, Math.max(500, (o.upload_timeout * 1000) / 6));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      serial(() => pass(false)).catch((e) =>
        ctx.log.error(`upload pass failed: ${errorMessage(e)}`)
      )
        .finally(schedule);
    }, tickMs);
  };
  schedule();

  return {
    write(chunk: Chunk): Promise<void> {
      if (chunk.signal !== "logs") {
        ctx.log.once(
          "warn",
          `signal-${chunk.signal}`,
          `s3 stores logs only; ${chunk.signal} are skipped`,
        );
        return Promise.resolve();
      }
      const bytes = encode(chunk);
      if (bytes.length === 0) return Promise.resolve();
      return serial(async () => {
        if (o.store_dir_limit_size > 0) {
          const held = [...active.values(), ...sealed].reduce((n, f) => n + f.size, 0);
          if (held + bytes.length > o.store_dir_limit_size) {
            throw new RetryableError(
              `store_dir holds ${held} bytes, store_dir_limit_size is ${o.store_dir_limit_size}`,
            );
          }
        }
        let f = active.get(chunk.tag);
        if (!f) {
          const first = chunk.records.find((r) => !isGroupMarker(r));
          const ms = first ? first.time.sec * 1000 + Math.floor(first.time.nsec / 1e6) : Date.now();
          f = await store.create(chunk.tag, ms);
          active.set(chunk.tag, f);
        }
        await store.append(f, bytes);
        if (uploaderDue(f, Date.now())) await pass(false);
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      const final = serial(() => pass(true)).catch((e) =>
        ctx.log.error(`final upload failed: ${errorMessage(e)}`)
      );
      // A server that does not answer must not hold the shutdown: after the limit the
      // connections are closed, the calls in flight fail, and the files stay in the store.
      let limit: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<boolean>((
        r,
      ) => (limit = setTimeout(() => r(true), finalLimitMs)));
      if (await Promise.race([final.then(() => false), expired])) {
        ctx.log.warn(`final uploads took over ${finalLimitMs / 1000} s: stopping them`);
        client.close();
      }
      clearTimeout(limit);
      await final;
      const left = sealed.length + active.size;
      if (left > 0 || uploader.pending) {
        ctx.log.warn(`${left} buffered files stay in ${store.dir} and are sent by the next start`);
      }
      client.close();
      credentials.close();
    },
  };
}
