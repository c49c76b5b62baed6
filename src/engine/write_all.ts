/**
 * Writing a whole buffer to a Deno-style writer, which may accept fewer bytes than
 * offered (pipes, terminals, files near a quota).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const path = await Deno.makeTempFile();
 * const file = await Deno.open(path, { write: true });
 * await writeAll(file, new TextEncoder().encode("hello\n"));
 * file.close();
 * assertEquals(await Deno.readTextFile(path), "hello\n");
 * await Deno.remove(path);
 * ```
 */

/** Anything with Deno's `write(p): Promise<number>` (Deno.stdout, Deno.FsFile, sockets). */
export interface ByteWriter {
  /** Writes some of `p`, resolving with how many bytes it took. */
  write(p: Uint8Array): Promise<number>;
}

/** Writes every byte of `bytes`, looping on partial writes; a zero-byte write is an error. */
export async function writeAll(writer: ByteWriter, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const n = await writer.write(off === 0 ? bytes : bytes.subarray(off));
    if (n <= 0) {
      throw new Deno.errors.WriteZero(
        `Cannot write: the writer accepted 0 of ${bytes.length - off} bytes`,
      );
    }
    off += n;
  }
}
