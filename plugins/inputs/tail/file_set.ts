/**
 * The files an input follows, by device:inode and by name (the path they were found
 * at, where they were rotated to, and the real path behind a symlink, so an event's
 * path finds its file), plus the files finished earlier, remembered so a rotated copy
 * matching `path` is not read twice.
 */
import { dirname } from "node:path";
import type { TailFile } from "./tail_file.ts";

/** A file read to its end and closed: what a later rediscovery is compared with. */
export interface Finished {
  name: string;
  dev: number;
  ino: number;
  fp: string;
  fpSize: number;
  end: number;
  dbId: number | undefined;
}

/** The followed files. */
export class FileSet {
  readonly byKey = new Map<string, TailFile>();
  readonly finished = new Map<string, Finished>();
  #byName = new Map<string, TailFile>();
  #rr = 0;

  /** Open (not closed) files, rotated and deleted ones first, the rest round-robin. */
  readOrder(): TailFile[] {
    const gone: TailFile[] = [];
    const active: TailFile[] = [];
    for (const f of this.byKey.values()) {
      if (f.closed) continue;
      (f.state === "active" ? active : gone).push(f);
    }
    if (active.length > 1) {
      const at = this.#rr++ % active.length;
      return gone.concat(active.slice(at), active.slice(0, at));
    }
    return gone.concat(active);
  }

  /** Every open file. */
  open(): TailFile[] {
    return [...this.byKey.values()].filter((f) => !f.closed);
  }

  /** Follows `file`, known by its path and, behind a symlink, its real path. */
  add(file: TailFile, realPath: string | undefined): void {
    this.byKey.set(file.key, file);
    this.finished.delete(file.key);
    this.#byName.set(file.path, file);
    if (realPath && realPath !== file.path) this.#byName.set(realPath, file);
  }

  /** The file an event path names, if any. */
  named(path: string): TailFile | undefined {
    return this.#byName.get(path);
  }

  /** Renames `file` (rotation): events for its new name find it, its old path no longer. */
  rename(file: TailFile, name: string): void {
    for (const [n, f] of this.#byName) if (f === file) this.#byName.delete(n);
    file.name = name;
    this.#byName.set(name, file);
  }

  /** Stops mapping names to `file` (closed). */
  unname(file: TailFile): void {
    for (const [n, f] of this.#byName) if (f === file) this.#byName.delete(n);
  }

  /** Removes a closed file whose chunks are all acknowledged, remembering it as finished. */
  remove(file: TailFile): void {
    if (this.byKey.get(file.key) !== file) return;
    this.byKey.delete(file.key);
    this.unname(file);
    this.finished.set(file.key, {
      name: file.name,
      dev: file.dev,
      ino: file.ino,
      fp: file.fp,
      fpSize: file.fpSize,
      end: file.reader.nextOffset,
      dbId: file.dbId,
    });
    if (this.finished.size > 10_000) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
  }

  /** The directories worth watching: every open file's (and its real path's). */
  dirs(): Set<string> {
    const dirs = new Set<string>();
    for (const name of this.#byName.keys()) dirs.add(dirname(name));
    return dirs;
  }
}
