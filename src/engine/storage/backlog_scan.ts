/**
 * Finding what an earlier run left in `storage.path`: every chunk file under the input
 * directories, oldest first, with its header read and its size checked against what the
 * header promises, so truncated and foreign files are told apart before anything starts.
 */
import { errorMessage } from "../../error_message.ts";
import type { Logger } from "../log.ts";
import { type ChunkHeader, PREAMBLE_BYTES, readChunkLayout } from "./chunk_file.ts";
import { CHUNK_SUFFIX, PARTIAL_SUFFIX, readPrefix, removeFile } from "./fs_io.ts";

/** A chunk file whose header reads well. */
export interface ScannedChunk {
  path: string;
  header: ChunkHeader;
  size: number;
}

/** A chunk file that cannot be used, and why. */
export interface BadChunk {
  path: string;
  /** The input directory it was found in. */
  dir: string;
  reason: string;
}

/** What a scan found. */
export interface ScanResult {
  chunks: ScannedChunk[];
  bad: BadChunk[];
  /** Leftover partial writes removed (their data was never acknowledged). */
  partials: number;
}

/**
 * Scans the directories under `root` (except `exclude`d names) for chunk files. Files are
 * ordered by name, which starts with the time they were written. Partial writes left by a
 * crash are deleted: their input never saw them acknowledged and sends the data again.
 */
export async function scanStorage(
  root: string,
  options: { exclude: ReadonlySet<string> },
): Promise<ScanResult> {
  const found: { dir: string; name: string }[] = [];
  let partials = 0;
  for (const dir of await listDir(root)) {
    if (!dir.isDirectory || options.exclude.has(dir.name)) continue;
    for (const f of await listDir(`${root}/${dir.name}`)) {
      if (!f.isFile) continue;
      const path = `${root}/${dir.name}/${f.name}`;
      if (f.name.endsWith(PARTIAL_SUFFIX)) {
        await removeFile(path);
        partials++;
      } else if (f.name.endsWith(CHUNK_SUFFIX)) found.push({ dir: dir.name, name: f.name });
    }
  }
  found.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : a.dir < b.dir ? -1 : 1);
  const result: ScanResult = { chunks: [], bad: [], partials };
  for (const { dir, name } of found) {
    const path = `${root}/${dir}/${name}`;
    try {
      result.chunks.push(await readHead(path));
    } catch (e) {
      result.bad.push({ path, dir, reason: errorMessage(e) });
    }
  }
  return result;
}

async function listDir(path: string): Promise<Deno.DirEntry[]> {
  try {
    return await Array.fromAsync(Deno.readDir(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}

/** Reads a chunk file's header and checks the file is as long as it says. */
async function readHead(path: string): Promise<ScannedChunk> {
  const { size } = await Deno.stat(path);
  let prefix = await readPrefix(path, 4096);
  if (prefix.length >= PREAMBLE_BYTES) {
    const headerLength = new DataView(prefix.buffer, prefix.byteOffset).getUint32(6);
    if (PREAMBLE_BYTES + headerLength > prefix.length && headerLength <= size) {
      prefix = await readPrefix(path, PREAMBLE_BYTES + headerLength);
    }
  }
  const layout = readChunkLayout(prefix);
  if (layout.size !== size) {
    throw new Error(`truncated or padded: ${size} bytes, the header says ${layout.size}`);
  }
  return { path, header: layout.header, size };
}

/** What replaying an earlier run's files found. */
export interface ReplaySummary {
  chunks: number;
  records: number;
  corrupt: number;
  /** Files kept on disk because no output of this config takes them. */
  unroutable: number;
}

/**
 * Scans `root` and hands every readable chunk file to `admit`, oldest first; unreadable
 * ones go to `quarantine`. `admit` returns false when no output takes the chunk: its file
 * stays on disk, with a warning.
 */
export async function replayBacklog(
  root: string,
  options: {
    exclude: readonly string[];
    log: Logger;
    quarantine: (path: string, dir: string, reason: string) => Promise<void>;
    admit: (found: ScannedChunk) => boolean;
  },
): Promise<ReplaySummary> {
  const { log } = options;
  const scan = await scanStorage(root, { exclude: new Set(options.exclude) });
  const summary: ReplaySummary = { chunks: 0, records: 0, corrupt: 0, unroutable: 0 };
  for (const bad of scan.bad) {
    await options.quarantine(bad.path, bad.dir, bad.reason);
    summary.corrupt++;
  }
  for (const found of scan.chunks) {
    if (!options.admit(found)) {
      summary.unroutable++;
      log.warn(
        `chunk file ${found.path} (tag "${found.header.tag}") matches no output; left on disk`,
      );
      continue;
    }
    summary.chunks++;
    summary.records += found.header.records;
  }
  if (summary.chunks + summary.corrupt + scan.partials > 0) {
    log.info(
      `replaying ${summary.chunks} chunks (${summary.records} records) from ${root}` +
        (summary.corrupt ? `; ${summary.corrupt} unreadable moved aside` : "") +
        (scan.partials ? `; ${scan.partials} partial writes removed` : ""),
    );
  }
  return summary;
}
