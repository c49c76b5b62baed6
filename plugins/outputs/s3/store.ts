/**
 * The s3 output's local buffer in `store_dir/<bucket>/`: one data file per tag being filled
 * (`<id>.data`, appended and synced per chunk, with `<id>.meta`: tag, first record time,
 * creation time, and the object key once chosen), multipart upload states
 * (`uploads/<id>.json`: key, upload id, parts sent), the `$INDEX` counter, and files S3
 * refused for good (`failed/`, with the reason). Everything in it survives a restart.
 */

/** One buffered file. */
export interface BufferFile {
  /** Its id: the name without extension. */
  id: string;
  /** The records' tag. */
  tag: string;
  /** Time of the first record, ms. */
  firstTime: number;
  /** When the file was made, ms. */
  createdAt: number;
  /** Bytes in the data file. */
  size: number;
  /** The object key, once chosen (a retried PutObject overwrites the same object). */
  key?: string;
}

/** A multipart upload under way. */
export interface UploadState {
  id: string;
  tag: string;
  key: string;
  uploadId: string;
  createdAt: number;
  /** Bytes sent so far (before compression). */
  bytes: number;
  /** Parts sent, each with the buffered file it came from. */
  parts: { PartNumber: number; ETag: string; source?: string }[];
  /** Complete at the next pass (its last part was under the minimum part size). */
  complete?: boolean;
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    await f.write(new TextEncoder().encode(text));
    await f.sync();
  } finally {
    f.close();
  }
  await Deno.rename(tmp, path);
}

/** The store of one output. */
export class S3Store {
  /** Its directory. */
  readonly dir: string;
  #seq = 0;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Opens (creating) the store in `dir`. */
  static async open(dir: string): Promise<S3Store> {
    await Deno.mkdir(`${dir}/uploads`, { recursive: true });
    await Deno.mkdir(`${dir}/failed`, { recursive: true });
    return new S3Store(dir);
  }

  #data(id: string): string {
    return `${this.dir}/${id}.data`;
  }

  #meta(id: string): string {
    return `${this.dir}/${id}.meta`;
  }

  /** A new, empty buffer file for `tag`. */
  async create(tag: string, firstTime: number): Promise<BufferFile> {
    const now = Date.now();
    const id = `${now}-${Deno.pid}-${++this.#seq}`;
    const file: BufferFile = { id, tag, firstTime, createdAt: now, size: 0 };
    await Deno.writeFile(this.#data(id), new Uint8Array());
    await this.saveMeta(file);
    return file;
  }

  /** Writes the meta of `file` (durably). */
  async saveMeta(file: BufferFile): Promise<void> {
    const { size: _size, ...meta } = file;
    await writeAtomic(this.#meta(file.id), JSON.stringify(meta));
  }

  /** Appends `bytes` to `file` and syncs it to disk. */
  async append(file: BufferFile, bytes: Uint8Array): Promise<void> {
    const f = await Deno.open(this.#data(file.id), { append: true });
    try {
      let at = 0;
      while (at < bytes.length) at += await f.write(bytes.subarray(at));
      await f.syncData();
    } finally {
      f.close();
    }
    file.size += bytes.length;
  }

  /** The data of `file`. */
  read(file: BufferFile): Promise<Uint8Array> {
    return Deno.readFile(this.#data(file.id));
  }

  /** Deletes `file` (after upload). */
  async remove(file: BufferFile): Promise<void> {
    await Deno.remove(this.#data(file.id)).catch(() => {});
    await Deno.remove(this.#meta(file.id)).catch(() => {});
  }

  /** Moves `file` to `failed/` with `reason` beside it. */
  async fail(file: BufferFile, reason: string): Promise<string> {
    const to = `${this.dir}/failed/${file.id}`;
    await Deno.rename(this.#data(file.id), `${to}.data`);
    await Deno.rename(this.#meta(file.id), `${to}.meta`);
    await Deno.writeTextFile(`${to}.reason`, `${reason}\n`);
    return `${to}.data`;
  }

  /** Every buffered file left in the store, oldest first. */
  async files(): Promise<BufferFile[]> {
    const out: BufferFile[] = [];
    for await (const e of Deno.readDir(this.dir)) {
      if (!e.isFile || !e.name.endsWith(".meta")) continue;
      const id = e.name.slice(0, -5);
      try {
        const meta = JSON.parse(await Deno.readTextFile(this.#meta(id))) as Omit<
          BufferFile,
          "size"
        >;
        const size = (await Deno.stat(this.#data(id))).size;
        out.push({ ...meta, id, size });
      } catch {
        // a meta without data (removed between the two): nothing to send
      }
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  /** Every multipart upload left in the store. */
  async uploads(): Promise<UploadState[]> {
    const out: UploadState[] = [];
    for await (const e of Deno.readDir(`${this.dir}/uploads`)) {
      if (!e.isFile || !e.name.endsWith(".json")) continue;
      out.push(JSON.parse(await Deno.readTextFile(`${this.dir}/uploads/${e.name}`)));
    }
    return out.sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Saves an upload's state (durably). */
  saveUpload(u: UploadState): Promise<void> {
    return writeAtomic(`${this.dir}/uploads/${u.id}.json`, JSON.stringify(u));
  }

  /** Forgets a completed (or abandoned) upload. */
  async removeUpload(u: UploadState): Promise<void> {
    await Deno.remove(`${this.dir}/uploads/${u.id}.json`).catch(() => {});
  }

  /** The next `$INDEX` (kept across restarts). */
  async nextIndex(): Promise<number> {
    const path = `${this.dir}/index`;
    let n = 0;
    try {
      n = Number((await Deno.readTextFile(path)).trim()) || 0;
    } catch {
      // first use
    }
    await writeAtomic(path, String(n + 1));
    return n;
  }

  /** Bytes in buffered files. */
  async bufferedBytes(): Promise<number> {
    return (await this.files()).reduce((n, f) => n + f.size, 0);
  }
}
