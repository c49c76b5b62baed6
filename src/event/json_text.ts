/**
 * JSON text as the bytes Fluent Bit's outputs write: non-ASCII characters escaped as
 * `\uXXXX` when `json.escape_unicode` is on (the default), DEL always escaped, and
 * encoding through a reused buffer in pieces, so a chunk's text never becomes one
 * megabyte string.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(escapeUnicode('{"msg":"hé"}'), '{"msg":"h\\u00e9"}');
 * ```
 */

const encoder = new TextEncoder();

const NON_ASCII = /[\u007f-\uffff]/g;

function escapeChar(c: string): string {
  return "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0");
}

/**
 * Escapes DEL and every non-ASCII UTF-16 unit of JSON text as `\uXXXX` (astral
 * characters as a surrogate pair), as Fluent Bit's `json.escape_unicode` does.
 */
export function escapeUnicode(text: string): string {
  return text.replace(NON_ASCII, escapeChar);
}

/** Applies {@link escapeUnicode} when `unicode` is set, else escapes only DEL as Fluent Bit does. */
export function escapeJsonText(text: string, unicode: boolean): string {
  if (unicode) return escapeUnicode(text);
  return text.indexOf("\x7f") === -1 ? text : text.replaceAll("\x7f", "\\u007f");
}

/**
 * UTF-8 bytes of JSON text, escaping non-ASCII characters when `escape` is set. The
 * check costs nothing for ASCII text: a byte count equal to the string length proves it.
 * DEL (0x7f) is always escaped, as Fluent Bit does.
 */
export function encodeJsonText(text: string, escape: boolean): Uint8Array {
  const bytes = utf8Bytes(text);
  if (escape && bytes.length !== text.length) return utf8Bytes(escapeUnicode(text));
  return text.indexOf("\x7f") === -1 ? bytes : utf8Bytes(escapeJsonText(text, false));
}

/** Texts up to this many UTF-16 units are encoded through the reused scratch buffer. */
const SCRATCH_MAX_UNITS = 4 * 1024 * 1024;
/** The shared encoding buffer of {@link utf8Bytes}. */
let scratch = new Uint8Array(0);

/**
 * UTF-8 bytes of `text`, owned by the caller. Up to SCRATCH_MAX_UNITS it is encoded into
 * a reused buffer and copied out: one allocation and two plain copies, cheaper than
 * `encode`'s for the megabyte strings of a chunk.
 */
function utf8Bytes(text: string): Uint8Array {
  if (text.length > SCRATCH_MAX_UNITS) return encoder.encode(text);
  const need = text.length * 3; // at most 3 bytes per UTF-16 unit
  if (scratch.length < need) scratch = new Uint8Array(Math.max(need, 64 * 1024));
  return scratch.slice(0, encoder.encodeInto(text, scratch).written);
}

/**
 * Text is encoded in pieces of about this many UTF-16 units, so the joined string of a
 * piece stays a small young-generation object: a whole chunk's text joined at once is a
 * megabyte string in V8's large-object space, garbage that only a full GC reclaims.
 */
const PIECE_UNITS = 32 * 1024;

/**
 * The byte size of the last text a {@link Utf8TextBuilder} finished: the next builder's
 * buffer starts a quarter larger, so a stream of similar chunks is encoded without
 * growing the buffer, and handed out without copying it.
 */
let lastFinished = 64 * 1024;

/**
 * Builds UTF-8 bytes from many small strings (one per record) without making one large
 * string: pieces are joined up to PIECE_UNITS, then encoded into a buffer sized from the
 * last text built, handed out as it is when mostly full (a copy only when mostly empty).
 * With `json`, each piece is escaped as {@link encodeJsonText} escapes (escaping works
 * per character, so pieces give the same bytes as the whole).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const b = new Utf8TextBuilder({ json: true, escapeUnicode: true });
 * b.add('{"a":"é"}\n');
 * assertEquals(new TextDecoder().decode(b.finish()), '{"a":"\\u00e9"}\n');
 * ```
 */
export class Utf8TextBuilder {
  readonly #json: boolean;
  readonly #escape: boolean;
  #buf: Uint8Array;
  #at = 0;
  #text = "";

  /** A builder; `json` escapes each piece as {@link encodeJsonText} does. */
  constructor(options: { json: boolean; escapeUnicode: boolean }) {
    this.#json = options.json;
    this.#escape = options.escapeUnicode;
    this.#buf = new Uint8Array(Math.ceil(lastFinished * 1.25 / 4096) * 4096);
  }

  /** Appends `text`. */
  add(text: string): void {
    this.#text += text;
    if (this.#text.length >= PIECE_UNITS) this.#flush();
  }

  /** The bytes so far, owned by the caller; the builder must not be used afterwards. */
  finish(): Uint8Array {
    this.#flush();
    const buf = this.#buf;
    const at = this.#at;
    lastFinished = Math.max(64 * 1024, at);
    this.#buf = new Uint8Array(0);
    this.#at = 0;
    return at * 2 >= buf.length ? buf.subarray(0, at) : buf.slice(0, at);
  }

  #flush(): void {
    let text = this.#text;
    if (text === "") return;
    this.#text = "";
    let written = this.#encode(text);
    if (!this.#json) {
      this.#at += written;
      return;
    }
    if (this.#escape && written !== text.length) text = escapeUnicode(text);
    else if (text.indexOf("\x7f") !== -1) text = escapeJsonText(text, false);
    else {
      this.#at += written;
      return;
    }
    written = this.#encode(text);
    this.#at += written;
  }

  /** Encodes `text` at the current end (not yet counted); returns its byte length. */
  #encode(text: string): number {
    const need = this.#at + text.length * 3;
    if (this.#buf.length < need) {
      const grown = new Uint8Array(Math.max(need, this.#buf.length * 2, 64 * 1024));
      grown.set(this.#buf.subarray(0, this.#at));
      this.#buf = grown;
    }
    return encoder.encodeInto(text, this.#buf.subarray(this.#at)).written;
  }
}
