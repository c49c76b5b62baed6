/**
 * A file's identity: device, inode, and a fingerprint of its first bytes. Inode numbers
 * are reused once a file is deleted, and copytruncate keeps the inode while replacing
 * the content, so a stored position applies only when the fingerprint still matches.
 */

/** Bytes of a file's head the fingerprint covers once the file is that long. */
export const FINGERPRINT_BYTES = 1024;

/** What identifies one file across restarts. */
export interface Identity {
  dev: number;
  ino: number;
  /** Hash of the first `fpSize` bytes (hex). */
  fp: string;
  fpSize: number;
}

/** The in-memory key of an open file: device and inode. */
export function fileKey(dev: number, ino: number): string {
  return `${dev}:${ino}`;
}

/**
 * A 64-bit FNV-1a hash of `bytes` (two 32-bit lanes with different offsets), as 16 hex
 * digits; not cryptographic, only a check that a file's head is unchanged.
 */
export function fingerprint(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/** True when `head` (a file's first bytes) starts with the bytes `id` fingerprinted. */
export function headMatches(id: Pick<Identity, "fp" | "fpSize">, head: Uint8Array): boolean {
  if (head.length < id.fpSize) return false;
  return fingerprint(head.subarray(0, id.fpSize)) === id.fp;
}

/** Reads up to FINGERPRINT_BYTES from the start of an open file; the position is left at 0+n. */
export async function readHead(file: Deno.FsFile, size: number): Promise<Uint8Array> {
  const want = Math.min(size, FINGERPRINT_BYTES);
  const buf = new Uint8Array(want);
  await file.seek(0, Deno.SeekMode.Start);
  let got = 0;
  while (got < want) {
    const n = await file.read(buf.subarray(got));
    if (n === null || n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}
