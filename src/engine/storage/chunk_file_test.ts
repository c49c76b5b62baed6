import { assertEquals, assertThrows } from "../../testing/assert.ts";
import {
  type ChunkHeader,
  CorruptChunkError,
  decodeChunkFile,
  encodeChunkFile,
  readChunkLayout,
} from "./chunk_file.ts";

const header: ChunkHeader = {
  signal: "logs",
  tag: "app.web",
  input: "tail.0",
  routes: ["http.0", "file.1"],
  records: 2,
  bytes: 300,
  created: 1_700_000_000_000,
};
const payload = new Uint8Array([1, 2, 3, 4, 5]);

Deno.test("decodeChunkFile() reads back what encodeChunkFile() wrote, with and without checksum", () => {
  for (const checksum of [false, true]) {
    const file = encodeChunkFile(header, payload, { checksum });
    const back = decodeChunkFile(file);
    assertEquals(back.header, header);
    assertEquals([...back.payload], [...payload]);
    assertEquals(readChunkLayout(file.subarray(0, file.length - 5)).header, header);
  }
});

Deno.test("decodeChunkFile() refuses truncated, corrupt and foreign files", () => {
  const file = encodeChunkFile(header, payload, { checksum: true });
  assertThrows(() => decodeChunkFile(file.subarray(0, file.length - 1)), CorruptChunkError, "size");
  assertThrows(() => decodeChunkFile(file.subarray(0, 10)), CorruptChunkError, "preamble");
  const flipped = file.slice();
  flipped[flipped.length - 1]! ^= 0xff;
  assertThrows(() => decodeChunkFile(flipped), CorruptChunkError, "checksum");
  assertThrows(
    () => decodeChunkFile(new TextEncoder().encode("hello world, not a chunk")),
    CorruptChunkError,
    "magic",
  );
  const noSum = encodeChunkFile(header, payload, { checksum: false });
  noSum[noSum.length - 1]! ^= 0xff; // undetectable without a checksum, but lengths still hold
  assertEquals(decodeChunkFile(noSum).header, header);
  const badHeader = encodeChunkFile({ ...header, routes: [1] } as unknown as ChunkHeader, payload, {
    checksum: false,
  });
  assertThrows(() => decodeChunkFile(badHeader), CorruptChunkError, "header");
});
