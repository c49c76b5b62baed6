/**
 * RFC 5424 STRUCTURED-DATA from record maps, as Fluent Bit's syslog output writes it: the
 * key is the SD-ID, each scalar entry a `name="value"` parameter. Names are cut to 32
 * bytes (unless longer ones are allowed) and bytes RFC 5424 forbids in them become `_`;
 * values escape `"`, `\` and `]`.
 */
import type { ByteBuilder } from "./byte_builder.ts";
import { scalarText, type Text } from "./values.ts";

const UNDERSCORE = 0x5f;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const CLOSE = 0x5d;
/** RFC 5424 SD-NAME length limit. */
const SD_NAME_MAX = 32;

/** True for a byte allowed in an SD-NAME: printable US-ASCII except `=`, `]` and `"`. */
function isSdNameByte(b: number): boolean {
  return b >= 33 && b <= 126 && b !== 0x3d && b !== CLOSE && b !== QUOTE;
}

function appendName(out: ByteBuilder, name: string, allowLong: boolean): void {
  const start = out.length;
  out.append(name, allowLong ? Infinity : SD_NAME_MAX);
  out.replaceFrom(start, isSdNameByte, UNDERSCORE);
}

function appendEscaped(out: ByteBuilder, value: Text): void {
  if (typeof value === "string") {
    out.text(/["\\\]]/.test(value) ? value.replace(/["\\\]]/g, "\\$&") : value);
    return;
  }
  for (const b of value) {
    if (b === QUOTE || b === BACKSLASH || b === CLOSE) out.byte(BACKSLASH);
    out.byte(b);
  }
}

/** One SD-ELEMENT's source: the record key and its map value. */
export interface SdElement {
  /** The SD-ID (the record key). */
  id: string;
  /** The parameters (the map's entries). */
  params: Record<string, unknown>;
}

/**
 * Appends the SD-ELEMENT `[id name="value" ...]` for one record map; entries whose value
 * is not a scalar (null, a list, a map) are left out.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { ByteBuilder } from "./byte_builder.ts";
 *
 * const out = new ByteBuilder();
 * appendSdElement(out, { id: "meta", params: { a: "1", b: 'x"y' } }, { allowLongNames: false });
 * assertEquals(new TextDecoder().decode(out.view()), '[meta a="1" b="x\\"y"]');
 * ```
 */
export function appendSdElement(
  out: ByteBuilder,
  element: SdElement,
  options: { allowLongNames: boolean },
): void {
  const { id, params } = element;
  out.byte(0x5b);
  appendName(out, id, options.allowLongNames);
  for (const name in params) {
    const value = scalarText(params[name]);
    if (value === undefined) continue;
    out.byte(0x20);
    appendName(out, name, options.allowLongNames);
    out.byte(0x3d);
    out.byte(QUOTE);
    appendEscaped(out, value);
    out.byte(QUOTE);
  }
  out.byte(CLOSE);
}
