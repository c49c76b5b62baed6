/**
 * Reads journalctl's export format (`journalctl -o export`): entries separated by an empty
 * line, each field `NAME=value\n`, or, for a value that is not printable text,
 * `NAME\n` + its length as 64-bit little endian + the bytes + `\n`. The reader takes the
 * byte stream in pieces of any size and gives back whole entries; a piece that ends inside
 * an entry is kept until the rest comes.
 */

/** One journal entry as journalctl exported it. */
export interface JournalEntry {
  /** The entry's cursor (`__CURSOR`), where a later run resumes after it. */
  cursor: string;
  /** `__REALTIME_TIMESTAMP`: microseconds since the epoch (exact below 2^53). */
  realtime: number;
  /** Field names in the journal's order, the `__` address fields left out. */
  names: string[];
  /** Each field's value: a string, or the bytes of one that is not valid UTF-8. */
  values: (string | Uint8Array)[];
  /** Bytes of the entry in the export stream. */
  bytes: number;
}

const NL = 10;
const EQ = 61;
const utf8 = new TextDecoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function readLength(buf: Uint8Array, at: number): number {
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + buf[at + i]!;
  return n;
}

/** A binary value: text when it is valid UTF-8, else a copy of the bytes. */
function binaryValue(bytes: Uint8Array): string | Uint8Array {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes.slice();
  }
}

/**
 * Incremental parser of the export format.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const text = "__CURSOR=s=1\n__REALTIME_TIMESTAMP=1700000000000001\nMESSAGE=hi\nA=1\nA=2\n\n";
 * const bytes = new TextEncoder().encode(text);
 * const reader = new ExportReader();
 * const out: JournalEntry[] = [];
 * reader.push(bytes.subarray(0, 20), out); // part of an entry: kept
 * reader.push(bytes.subarray(20), out);
 * assertEquals(out.map((e) => [e.cursor, e.realtime, e.names, e.values]), [
 *   ["s=1", 1700000000000001, ["MESSAGE", "A", "A"], ["hi", "1", "2"]],
 * ]);
 * ```
 */
export class ExportReader {
  #rest: Uint8Array = new Uint8Array(0);

  /** Bytes held of an entry not yet complete. */
  get pending(): number {
    return this.#rest.length;
  }

  /** Parses `data` after what was held; appends each entry it completes to `out`. */
  push(data: Uint8Array, out: JournalEntry[]): void {
    const buf = this.#rest.length > 0 ? concat(this.#rest, data) : data;
    let start = 0;
    while (start < buf.length) {
      const end = scanEntry(buf, start);
      if (end === -1) break;
      if (end.binary) out.push(decodeMixed(buf, start, end.at));
      else if (end.at - start > 1) out.push(decodeText(buf, start, end.at));
      start = end.at;
    }
    this.#rest = start >= buf.length ? new Uint8Array(0) : buf.slice(start);
  }
}

/** Where the entry at `start` ends (after its empty line), or -1 when it is incomplete. */
function scanEntry(buf: Uint8Array, start: number): { at: number; binary: boolean } | -1 {
  let p = start;
  let binary = false;
  for (;;) {
    const nl = buf.indexOf(NL, p);
    if (nl < 0) return -1;
    if (nl === p) return { at: nl + 1, binary };
    const eq = buf.indexOf(EQ, p);
    if (eq >= 0 && eq < nl) {
      p = nl + 1;
      continue;
    }
    if (nl + 9 > buf.length) return -1;
    const next = nl + 9 + readLength(buf, nl + 1) + 1;
    if (next > buf.length) return -1;
    binary = true;
    p = next;
  }
}

function newEntry(bytes: number): JournalEntry {
  return { cursor: "", realtime: 0, names: [], values: [], bytes };
}

function addField(entry: JournalEntry, name: string, value: string | Uint8Array): void {
  if (name.charCodeAt(0) === 95 && name.charCodeAt(1) === 95) {
    if (name === "__CURSOR") entry.cursor = String(value);
    else if (name === "__REALTIME_TIMESTAMP") entry.realtime = Number(value);
    return;
  }
  entry.names.push(name);
  entry.values.push(value);
}

/** An entry of text fields only: one decode, then string splits. */
function decodeText(buf: Uint8Array, start: number, end: number): JournalEntry {
  const entry = newEntry(end - start);
  const text = utf8.decode(buf.subarray(start, end - 2));
  let p = 0;
  while (p <= text.length) {
    let nl = text.indexOf("\n", p);
    if (nl < 0) nl = text.length;
    const eq = text.indexOf("=", p);
    addField(entry, text.slice(p, eq), text.slice(eq + 1, nl));
    p = nl + 1;
  }
  return entry;
}

/** An entry with binary fields: field by field. */
function decodeMixed(buf: Uint8Array, start: number, end: number): JournalEntry {
  const entry = newEntry(end - start);
  let p = start;
  while (p < end - 1) {
    const nl = buf.indexOf(NL, p);
    const eq = buf.indexOf(EQ, p);
    if (eq >= 0 && eq < nl) {
      addField(entry, utf8.decode(buf.subarray(p, eq)), utf8.decode(buf.subarray(eq + 1, nl)));
      p = nl + 1;
      continue;
    }
    const len = readLength(buf, nl + 1);
    const from = nl + 9;
    addField(entry, utf8.decode(buf.subarray(p, nl)), binaryValue(buf.subarray(from, from + len)));
    p = from + len + 1;
  }
  return entry;
}
