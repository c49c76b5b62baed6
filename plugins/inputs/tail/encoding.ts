/**
 * Source encodings: how newlines are found in a file's bytes and how lines are
 * decoded to text. UTF-8 and the legacy encodings of `generic.encoding` keep byte 10
 * for a newline and never use it inside a character, so lines are found with one
 * `indexOf`; UTF-16 (`unicode.encoding`) looks for an aligned newline code unit.
 * Invalid bytes decode to U+FFFD and never stop a file.
 */
import { OptionError } from "../../../src/plugin.ts";

/** How one encoding's bytes are cut into lines and decoded. */
export interface Codec {
  /** The WHATWG label used with TextDecoder. */
  readonly label: string;
  /** Bytes per newline (1, or 2 for UTF-16). */
  readonly width: 1 | 2;
  /** Index of the first newline at or after `from` and before `to`, or -1. */
  next(bytes: Uint8Array, from: number, to: number): number;
  /** Index of the last newline at or after `from` and before `to`, or -1. */
  last(bytes: Uint8Array, from: number, to: number): number;
  /** A decoder that replaces invalid bytes and keeps any byte order mark as data. */
  decoder(): TextDecoder;
  /** Bytes of this encoding's byte order mark at the start of `bytes` (0 when none). */
  bom(bytes: Uint8Array): number;
}

const NL = 10;

function byteCodec(label: string): Codec {
  return {
    label,
    width: 1,
    next(bytes, from, to) {
      const i = bytes.indexOf(NL, from);
      return i >= 0 && i < to ? i : -1;
    },
    last(bytes, from, to) {
      const i = bytes.lastIndexOf(NL, to - 1);
      return i >= from ? i : -1;
    },
    decoder: () => new TextDecoder(label, { fatal: false, ignoreBOM: true }),
    bom: (b) => label === "utf-8" && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0,
  };
}

function utf16Codec(littleEndian: boolean): Codec {
  // The newline code unit: 0A 00 (LE) or 00 0A (BE); `from` is always unit-aligned.
  const lo = littleEndian ? NL : 0;
  const hi = littleEndian ? 0 : NL;
  return {
    label: littleEndian ? "utf-16le" : "utf-16be",
    width: 2,
    next(bytes, from, to) {
      for (let i = from; i + 1 < to; i += 2) {
        if (bytes[i] === lo && bytes[i + 1] === hi) return i;
      }
      return -1;
    },
    last(bytes, from, to) {
      const span = (to - from) & ~1;
      for (let i = from + span - 2; i >= from; i -= 2) {
        if (bytes[i] === lo && bytes[i + 1] === hi) return i;
      }
      return -1;
    },
    decoder: () =>
      new TextDecoder(littleEndian ? "utf-16le" : "utf-16be", { fatal: false, ignoreBOM: true }),
    bom: (b) =>
      littleEndian
        ? (b[0] === 0xff && b[1] === 0xfe ? 2 : 0)
        : (b[0] === 0xfe && b[1] === 0xff ? 2 : 0),
  };
}

/** UTF-8, the default. */
export const UTF8: Codec = byteCodec("utf-8");
/** UTF-16 little-endian. */
export const UTF16LE: Codec = utf16Codec(true);
/** UTF-16 big-endian. */
export const UTF16BE: Codec = utf16Codec(false);

/** `generic.encoding` names (Fluent Bit's and their CP aliases) to WHATWG labels. */
const GENERIC: Record<string, string> = {
  shiftjis: "shift_jis",
  sjis: "shift_jis",
  shift_jis: "shift_jis",
  cp932: "shift_jis",
  uhc: "euc-kr",
  cp949: "euc-kr",
  gbk: "gbk",
  cp936: "gbk",
  gb18030: "gb18030",
  big5: "big5",
  cp950: "big5",
  win866: "ibm866",
  cp866: "ibm866",
  win874: "windows-874",
  cp874: "windows-874",
};
for (let n = 1250; n <= 1256; n++) {
  GENERIC[`win${n}`] = `windows-${n}`;
  GENERIC[`cp${n}`] = `windows-${n}`;
}

/** The `generic.encoding` names sluice accepts. */
export const GENERIC_ENCODINGS: readonly string[] = Object.keys(GENERIC);

/** The codec of a `generic.encoding` value; throws RangeError for an unknown name. */
export function genericCodec(name: string): Codec {
  const label = GENERIC[name.toLowerCase().replace(/[-\s]/g, "")];
  if (label === undefined) {
    throw new OptionError(
      "generic.encoding",
      `Cannot use generic.encoding "${name}": expected one of ShiftJIS, UHC, GBK, GB18030, ` +
        "Big5, Win866, Win874, Win1250 to Win1256",
    );
  }
  return byteCodec(label);
}

/**
 * The codec for a file: `unicode.encoding` wins over `generic.encoding`; `auto` picks
 * UTF-16 LE or BE from the byte order mark in `head` (the file's first bytes), else UTF-8.
 */
export function codecFor(
  unicode: string | undefined,
  generic: string | undefined,
  head: Uint8Array,
): Codec {
  if (unicode !== undefined) {
    const u = unicode.toLowerCase();
    if (u === "utf-16le") return UTF16LE;
    if (u === "utf-16be") return UTF16BE;
    if (UTF16LE.bom(head) > 0) return UTF16LE;
    if (UTF16BE.bom(head) > 0) return UTF16BE;
    return UTF8;
  }
  if (generic !== undefined) return genericCodec(generic);
  return UTF8;
}
