/**
 * What happens to a followed file when it changes under the input: rotated away or
 * unlinked (read what is left, then close after `rotate_wait`), or truncated in place
 * (copytruncate: read what was not read yet from the copy, then start again at 0).
 */
import type { LogRecord } from "../../../src/event/log_record.ts";
import { findCopy, findNewName } from "./checks.ts";
import type { Chunker } from "./chunker.ts";
import { CommitQueue } from "./commit.ts";
import { fingerprint, readHead } from "./fingerprint.ts";
import { openCopy, type Opener } from "./opener.ts";
import type { TailFile } from "./tail_file.ts";

/** The file was renamed away from its path, or unlinked: it is read to its end, then closed. */
export async function markGone(
  o: Opener,
  file: TailFile,
  status: "rotated" | "deleted",
): Promise<void> {
  file.state = status;
  file.dirty = true;
  if (status === "rotated") {
    o.metrics.rotated();
    const name = await findNewName(file);
    o.files.rename(file, name ?? file.name);
    o.store.rotated(file);
    o.ctx.log.info(`rotated ${file.path} (now ${file.name}); reading it to its end`);
  } else {
    o.ctx.log.info(`deleted ${file.path}; reading it to its end`);
  }
}

/**
 * Copytruncate (or content replaced in place): lines not read yet are read from the copy
 * when it is found next to the file; otherwise the held partial line goes out as it is.
 * Then the file is read again from its start (`st` is its stat now).
 */
export async function restartTruncated(
  o: Opener,
  out: Chunker,
  file: TailFile,
  st: Deno.FileInfo,
): Promise<void> {
  const from = file.reader.completeEnd;
  const copyPath = from > 0 && file.state === "active" ? await findCopy(file, from) : undefined;
  const copy = copyPath ? await openCopy(o, copyPath, from, file) : null;
  const records: LogRecord[] = [];
  if (copy) {
    o.settings.joiner?.flush(file.key, out.emitter(records, file.recordPath));
    o.ctx.log.info(
      `truncated ${file.name}; reading what was not read yet from ${copyPath} at offset ${from}`,
    );
  } else {
    out.flushFile(file, records);
    o.ctx.log.info(`truncated ${file.name}; reading it again from its start`);
  }
  const last = out.chunk(file, records, 0, file.reader.nextOffset);
  if (last) out.ready.push(last);
  file.reader.reset(0, true);
  file.commits = new CommitQueue(0);
  const head = await readHead(file.fs, st.size);
  await file.fs.seek(0, Deno.SeekMode.Start);
  file.fp = fingerprint(head);
  file.fpSize = head.length;
  file.size = st.size;
  file.headSize = st.size;
  file.dirty = true;
  file.eofAt = null;
  o.store.identityChanged(file);
  o.store.committed(file);
}
