/**
 * What happened to a followed file, from stat calls: grown, truncated (size below the
 * read position, or a different head: copytruncate), rotated (its path now names
 * another file, or none while the file still has links), or deleted (no links left).
 */
import { basename, dirname, join } from "node:path";
import { fingerprint, FINGERPRINT_BYTES, headMatches, readHead } from "./fingerprint.ts";
import type { TailFile } from "./tail_file.ts";

/** The verdict on one file. */
export type Status = "ok" | "truncated" | "rotated" | "deleted" | "gone";

/** Stats the open handle: size, links, mtime; null when the handle is unusable. */
export async function statHandle(file: TailFile): Promise<Deno.FileInfo | null> {
  try {
    return await file.fs.stat();
  } catch {
    return null;
  }
}

/** True when `file.path` still names the open file (symlinks followed). */
export async function pathNamesFile(file: TailFile): Promise<boolean> {
  try {
    const st = await Deno.stat(file.path);
    return st.ino === file.ino && st.dev === file.dev;
  } catch {
    return false;
  }
}

/**
 * Compares the file's head with its fingerprint, and grows the fingerprint when the
 * file grew past it. Returns "changed" when the head differs (content replaced in place).
 * The read position is restored.
 */
export async function checkHead(
  file: TailFile,
  size: number,
): Promise<"same" | "grown" | "changed"> {
  const pos = file.reader.nextOffset;
  const head = await readHead(file.fs, Math.min(size, FINGERPRINT_BYTES));
  await file.fs.seek(pos, Deno.SeekMode.Start);
  if (!headMatches(file, head)) return "changed";
  if (head.length > file.fpSize) {
    file.fp = fingerprint(head);
    file.fpSize = head.length;
    return "grown";
  }
  return "same";
}

/** The status of an active file; for rotated and deleted ones only truncation matters. */
export async function fileStatus(file: TailFile, st: Deno.FileInfo): Promise<Status> {
  if (!file.gzip && st.size < file.reader.nextOffset) return "truncated";
  if (file.state !== "active") return "ok";
  if (st.nlink === 0) return "deleted";
  if (!(await pathNamesFile(file))) return "rotated";
  return "ok";
}

/** Where a rotated file went, when it stayed in its directory (logrotate's default). */
export function findNewName(file: TailFile): Promise<string | undefined> {
  return findByInode(dirname(file.path), file.ino, file.dev);
}

/** The path in `dir` of the file with inode `ino` (on device `dev` when given), if any. */
export async function findByInode(
  dir: string,
  ino: number,
  dev?: number,
): Promise<string | undefined> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) continue;
      const path = join(dir, entry.name);
      try {
        const st = await Deno.lstat(path);
        if (st.ino === ino && (dev === undefined || st.dev === dev)) return path;
      } catch {
        // vanished meanwhile
      }
    }
  } catch {
    // the directory is gone too
  }
  return undefined;
}

/**
 * After copytruncate: the copy logrotate made of `file` (in its directory, named after it,
 * not compressed, holding at least `from` bytes and starting with the head `file` had).
 * Lines not read before the truncation are read from it instead of being lost.
 */
export async function findCopy(file: TailFile, from: number): Promise<string | undefined> {
  const dir = dirname(file.path);
  const base = basename(file.path);
  try {
    for await (const entry of Deno.readDir(dir)) {
      const name = entry.name;
      if (!entry.isFile || name === base || !name.startsWith(base) || name.endsWith(".gz")) {
        continue;
      }
      const path = join(dir, name);
      try {
        const st = await Deno.stat(path);
        if (st.ino === file.ino || st.size < from) continue;
        const fs = await Deno.open(path);
        try {
          if (headMatches(file, await readHead(fs, st.size))) return path;
        } finally {
          fs.close();
        }
      } catch {
        // vanished meanwhile
      }
    }
  } catch {
    // the directory is gone
  }
  return undefined;
}
