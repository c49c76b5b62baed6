/**
 * What the s3 output does with its buffered files, on a timer and at shutdown: a file that
 * reached `upload_chunk_size` becomes the next part of its tag's multipart upload (created
 * on first need), an upload that reached `total_file_size` or `upload_timeout` is
 * completed, and with `use_put_object` (or a file too small to be a part) a file is sent
 * whole with PutObject. A failed call leaves the file in the store to be tried again later
 * with backoff; a refusal for good moves it to `failed/` with the reason, counted, so no
 * retry loop hides a wrong key or bucket.
 */
import { PermanentError } from "../../../src/engine/errors.ts";
import { errorMessage } from "../../../src/error_message.ts";
import { compress, type Compression } from "../../../src/net/http_client/compress.ts";
import type { PluginContext } from "../../../src/plugin.ts";
import type { ObjectHeaders, S3Api } from "./api.ts";
import { randomAlnum, s3Key } from "./key.ts";
import { MIN_PART_SIZE } from "./options.ts";
import type { BufferFile, S3Store, UploadState } from "./store.ts";

/** Settings of the uploader. */
export interface UploaderSettings {
  keyFormat: string;
  delimiters: string;
  staticFilePath: boolean;
  usePutObject: boolean;
  totalFileSize: number;
  chunkSize: number;
  uploadTimeoutMs: number;
  compression?: Compression;
  headers: ObjectHeaders;
  md5: boolean;
}

/** Uploads the store's files. */
export class Uploader {
  #api: S3Api;
  #store: S3Store;
  #s: UploaderSettings;
  #ctx: PluginContext;
  #uploads = new Map<string, UploadState>();
  #failures = new Map<string, { count: number; next: number }>();
  #keyHasIndex: boolean;
  #keyHasUuid: boolean;
  #metrics;

  /** An uploader of `store` through `api`. */
  constructor(api: S3Api, store: S3Store, settings: UploaderSettings, ctx: PluginContext) {
    this.#api = api;
    this.#store = store;
    this.#s = settings;
    this.#ctx = ctx;
    this.#keyHasIndex = settings.keyFormat.includes("$INDEX");
    this.#keyHasUuid = settings.keyFormat.includes("$UUID");
    const labels = { name: ctx.name };
    this.#metrics = {
      labels,
      objects: ctx.metrics.counter("sluice_s3_objects_total", "Objects completed in S3."),
      bytes: ctx.metrics.counter("sluice_s3_uploaded_bytes_total", "Bytes uploaded to S3."),
      failed: ctx.metrics.counter(
        "sluice_s3_failed_files_total",
        "Buffered files S3 refused for good (kept in store_dir/failed).",
      ),
    };
    for (const m of [this.#metrics.objects, this.#metrics.bytes, this.#metrics.failed]) {
      m.touch(labels);
    }
  }

  /** Loads the uploads left by an earlier run. */
  async load(): Promise<void> {
    for (const u of await this.#store.uploads()) this.#uploads.set(u.tag, u);
  }

  /** Whether a file is due now (or `final`: shutdown, send everything). */
  #due(f: BufferFile, now: number, final: boolean): boolean {
    if (final) return true;
    if (f.size >= (this.#s.usePutObject ? this.#s.totalFileSize : this.#s.chunkSize)) return true;
    return now - f.createdAt >= this.#s.uploadTimeoutMs;
  }

  /**
   * One pass over `files` (sealed: no longer written), oldest first; `final` at shutdown
   * sends and completes everything. Resolves with the files it is done with.
   */
  async pass(files: readonly BufferFile[], final: boolean): Promise<Set<string>> {
    const done = new Set<string>();
    const now = Date.now();
    const blockedTags = new Set<string>();
    for (const f of files) {
      if (blockedTags.has(f.tag)) continue; // keep a tag's files in order
      const failure = this.#failures.get(f.id);
      if (failure && failure.next > now && !final) {
        blockedTags.add(f.tag);
        continue;
      }
      try {
        await this.#send(f);
        this.#failures.delete(f.id);
        await this.#store.remove(f);
        done.add(f.id);
      } catch (e) {
        if (e instanceof PermanentError) {
          const where = await this.#store.fail(f, errorMessage(e));
          this.#metrics.failed.inc(this.#metrics.labels);
          this.#ctx.log.error(
            `S3 refused ${f.size} buffered bytes for good, kept in ${where}: ${e.message}`,
          );
          done.add(f.id);
          continue;
        }
        const count = (failure?.count ?? 0) + 1;
        const wait = Math.min(60_000, 500 * 2 ** Math.min(count, 7));
        this.#failures.set(f.id, { count, next: Date.now() + wait });
        this.#ctx.log.warn(
          `upload of ${f.size} bytes (tag ${f.tag}) failed (${errorMessage(e)}); ` +
            `retry ${count} in ${(wait / 1000).toFixed(1)}s`,
        );
        blockedTags.add(f.tag);
      }
    }
    await this.#completeDue(final, blockedTags);
    return done;
  }

  /** Which of `files` are due for sending. */
  dueFiles(files: readonly BufferFile[], final: boolean): BufferFile[] {
    const now = Date.now();
    return files.filter((f) => this.#due(f, now, final));
  }

  async #body(f: BufferFile): Promise<Uint8Array> {
    const data = await this.#store.read(f);
    return this.#s.compression ? await compress(this.#s.compression, data) : data;
  }

  async #key(f: BufferFile, forPutObject: boolean): Promise<string> {
    const index = this.#keyHasIndex ? await this.#store.nextIndex() : 0;
    let key = s3Key(this.#s.keyFormat, {
      tag: f.tag,
      time: new Date(f.firstTime),
      delimiters: this.#s.delimiters,
      index,
    });
    if (forPutObject && !this.#keyHasUuid && !this.#keyHasIndex && !this.#s.staticFilePath) {
      key += `-object${randomAlnum(8)}`;
    }
    return key;
  }

  async #send(f: BufferFile): Promise<void> {
    const upload = this.#uploads.get(f.tag);
    if (upload?.parts.some((p) => p.source === f.id)) return; // sent before a crash
    // Sizes are judged after compression, as S3 sees the parts.
    const body = await this.#body(f);
    if (this.#s.usePutObject || (!upload && body.length < MIN_PART_SIZE)) {
      if (!f.key) {
        f.key = await this.#key(f, true);
        await this.#store.saveMeta(f); // a retry puts the same object again, not a second one
      }
      await this.#api.putObject(f.key, body, this.#s.headers, this.#s.md5);
      this.#metrics.bytes.inc(this.#metrics.labels, body.length);
      this.#metrics.objects.inc(this.#metrics.labels);
      this.#ctx.log.info(`Successfully uploaded object ${f.key}`);
      return;
    }
    const u = upload ?? await this.#createUpload(f);
    const part = u.parts.length + 1;
    let etag: string;
    try {
      etag = await this.#api.uploadPart(u.key, u.uploadId, part, body);
    } catch (e) {
      if (!(e instanceof PermanentError && e.message.includes("NoSuchUpload"))) throw e;
      // The upload is gone (aborted, or expired): the next try starts a new one.
      await this.#store.removeUpload(u);
      this.#uploads.delete(f.tag);
      this.#ctx.log.warn(`multipart upload of ${u.key} is gone; starting a new one`);
      throw new Error(e.message);
    }
    u.parts.push({ PartNumber: part, ETag: etag, source: f.id });
    u.bytes += f.size;
    // A part under S3's minimum can only be the last: complete the upload with it.
    if (body.length < MIN_PART_SIZE) u.complete = true;
    await this.#store.saveUpload(u);
    this.#metrics.bytes.inc(this.#metrics.labels, body.length);
  }

  async #createUpload(f: BufferFile): Promise<UploadState> {
    const key = await this.#key(f, false);
    const uploadId = await this.#api.createMultipart(key, this.#s.headers);
    const u: UploadState = {
      id: `${Date.now()}-${randomAlnum(6)}`,
      tag: f.tag,
      key,
      uploadId,
      createdAt: Date.now(),
      bytes: 0,
      parts: [],
    };
    await this.#store.saveUpload(u);
    this.#uploads.set(f.tag, u);
    this.#ctx.log.info(`Created multipart upload for ${key}`);
    return u;
  }

  async #completeDue(final: boolean, blockedTags: Set<string>): Promise<void> {
    const now = Date.now();
    for (const [tag, u] of [...this.#uploads]) {
      if (blockedTags.has(tag) && !final) continue;
      const due = final || u.complete === true || u.bytes >= this.#s.totalFileSize ||
        now - u.createdAt >= this.#s.uploadTimeoutMs;
      if (!due || u.parts.length === 0) continue;
      try {
        const parts = u.parts.map(({ PartNumber, ETag }) => ({ PartNumber, ETag }));
        await this.#api.completeMultipart(u.key, u.uploadId, parts);
      } catch (e) {
        if (!(e instanceof PermanentError)) {
          this.#ctx.log.warn(`CompleteMultipartUpload of ${u.key} failed: ${errorMessage(e)}`);
          continue;
        }
        this.#metrics.failed.inc(this.#metrics.labels);
        this.#ctx.log.error(
          `S3 refused to complete ${u.key} for good (its ${u.parts.length} parts are ` +
            `lost): ${e.message}`,
        );
        await this.#store.removeUpload(u);
        this.#uploads.delete(tag);
        continue;
      }
      await this.#store.removeUpload(u);
      this.#uploads.delete(tag);
      this.#metrics.objects.inc(this.#metrics.labels);
      this.#ctx.log.info(`Completed multipart upload of ${u.key} (${u.parts.length} parts)`);
    }
  }

  /** Whether an upload is under way for some tag (work left for a later pass). */
  get pending(): boolean {
    return this.#uploads.size > 0;
  }
}
