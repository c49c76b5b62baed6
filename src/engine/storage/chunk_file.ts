/**
 * The chunk file format of filesystem storage: one file per chunk.
 *
 * ```
 * 0  "SLCK"            magic
 * 4  u8                format version (1)
 * 5  u8                flags (bit 0: the CRC-32 below is set)
 * 6  u32 BE            header length
 * 10 u32 BE            payload length
 * 14 u32 BE            CRC-32 of header + payload (0 without storage.checksum)
 * 18 header            msgpack map: signal, tag, input, routes, records, bytes, created
 * .. payload           the records as msgpack (record_codec.ts)
 * ```
 *
 * The lengths make a truncated file detectable even without the checksum.
 */
import { errorMessage } from "../../error_message.ts";
import type { Signal } from "../../event/chunk.ts";
import { crc32 } from "./crc32.ts";
import { decodeTyped, encodeTyped } from "./record_codec.ts";

/** The bytes every chunk file starts with. */
export const CHUNK_MAGIC = new Uint8Array([0x53, 0x4c, 0x43, 0x4b]); // "SLCK"
/** The chunk file format version this code writes and reads. */
export const CHUNK_FORMAT_VERSION = 1;
/** Bytes before the header. */
export const PREAMBLE_BYTES = 18;

/** What a chunk file says about its chunk. */
export interface ChunkHeader {
  signal: Signal;
  tag: string;
  /** The input instance that produced it. */
  input: string;
  /** Output instance names the chunk was routed to. */
  routes: string[];
  /** Number of records in the payload. */
  records: number;
  /** The chunk's byte size for buffer accounting. */
  bytes: number;
  /** Epoch milliseconds when it was written. */
  created: number;
}

/** A chunk file that cannot be read back: bad magic, version, lengths, checksum or content. */
export class CorruptChunkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptChunkError";
  }
}

/** The whole file for `header` and an encoded `payload`. */
export function encodeChunkFile(
  header: ChunkHeader,
  payload: Uint8Array,
  options: { checksum: boolean },
): Uint8Array {
  const head = encodeTyped(header);
  const out = new Uint8Array(PREAMBLE_BYTES + head.length + payload.length);
  out.set(CHUNK_MAGIC, 0);
  out[4] = CHUNK_FORMAT_VERSION;
  out[5] = options.checksum ? 1 : 0;
  const view = new DataView(out.buffer);
  view.setUint32(6, head.length);
  view.setUint32(10, payload.length);
  out.set(head, PREAMBLE_BYTES);
  out.set(payload, PREAMBLE_BYTES + head.length);
  if (options.checksum) view.setUint32(14, crc32(out.subarray(PREAMBLE_BYTES)));
  return out;
}

/** Where the parts of a file lie, from its first bytes. */
export interface ChunkLayout {
  header: ChunkHeader;
  headerLength: number;
  payloadLength: number;
  checksum: number | undefined;
  /** The total file size the preamble promises. */
  size: number;
}

/**
 * Reads the preamble and header from the start of a file (`bytes` may be just a prefix
 * holding the header). Throws CorruptChunkError on anything unexpected.
 */
export function readChunkLayout(bytes: Uint8Array): ChunkLayout {
  if (bytes.length < PREAMBLE_BYTES) {
    throw new CorruptChunkError(`truncated preamble: ${bytes.length} bytes`);
  }
  for (let i = 0; i < CHUNK_MAGIC.length; i++) {
    if (bytes[i] !== CHUNK_MAGIC[i]) throw new CorruptChunkError("not a chunk file: bad magic");
  }
  if (bytes[4] !== CHUNK_FORMAT_VERSION) {
    throw new CorruptChunkError(`unsupported chunk format version "${bytes[4]}"`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(6);
  const payloadLength = view.getUint32(10);
  const checksum = bytes[5]! & 1 ? view.getUint32(14) : undefined;
  if (bytes.length < PREAMBLE_BYTES + headerLength) {
    throw new CorruptChunkError("truncated header");
  }
  let raw: unknown;
  try {
    raw = decodeTyped(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength));
  } catch (e) {
    throw new CorruptChunkError(`unreadable header: ${errorMessage(e)}`);
  }
  const header = checkHeader(raw);
  return {
    header,
    headerLength,
    payloadLength,
    checksum,
    size: PREAMBLE_BYTES + headerLength + payloadLength,
  };
}

/** Splits a whole file into header and payload, verifying lengths and checksum. */
export function decodeChunkFile(bytes: Uint8Array): { header: ChunkHeader; payload: Uint8Array } {
  const layout = readChunkLayout(bytes);
  if (bytes.length !== layout.size) {
    throw new CorruptChunkError(`size is ${bytes.length} bytes, expected ${layout.size}`);
  }
  if (layout.checksum !== undefined) {
    const actual = crc32(bytes.subarray(PREAMBLE_BYTES));
    if (actual !== layout.checksum) throw new CorruptChunkError("checksum mismatch");
  }
  return {
    header: layout.header,
    payload: bytes.subarray(PREAMBLE_BYTES + layout.headerLength),
  };
}

const SIGNALS: readonly string[] = ["logs", "traces", "metrics"];

function checkHeader(raw: unknown): ChunkHeader {
  const h = raw as Partial<ChunkHeader> | null;
  const ok = h !== null && typeof h === "object" && SIGNALS.includes(h.signal as string) &&
    typeof h.tag === "string" && typeof h.input === "string" && Array.isArray(h.routes) &&
    h.routes.every((r) => typeof r === "string") && typeof h.records === "number" &&
    typeof h.bytes === "number" && typeof h.created === "number";
  if (!ok) throw new CorruptChunkError("header is missing fields");
  return h as ChunkHeader;
}
