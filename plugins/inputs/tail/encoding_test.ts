import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { codecFor, GENERIC_ENCODINGS, genericCodec } from "./encoding.ts";

Deno.test("codecFor picks UTF-16 from the BOM with unicode.encoding auto, else UTF-8", () => {
  assertEquals(
    codecFor("auto", undefined, new Uint8Array([0xff, 0xfe, 0x61, 0])).label,
    "utf-16le",
  );
  assertEquals(
    codecFor("auto", undefined, new Uint8Array([0xfe, 0xff, 0, 0x61])).label,
    "utf-16be",
  );
  assertEquals(codecFor("auto", undefined, new Uint8Array([0x61])).label, "utf-8");
  assertEquals(codecFor("UTF-16BE", "gbk", new Uint8Array()).label, "utf-16be");
  assertEquals(codecFor(undefined, "Win1252", new Uint8Array()).label, "windows-1252");
  assertEquals(codecFor(undefined, undefined, new Uint8Array()).label, "utf-8");
});

Deno.test("every generic.encoding name has a decoder in this runtime", () => {
  for (const name of GENERIC_ENCODINGS) {
    const codec = genericCodec(name);
    assertEquals(typeof codec.decoder().decode(new Uint8Array([0x41, 0x0a])), "string");
  }
  assertEquals(genericCodec("SJIS").label, "shift_jis");
  assertEquals(genericCodec("UHC").label, "euc-kr");
  assertEquals(genericCodec("Win866").label, "ibm866");
  assertThrows(() => genericCodec("EBCDIC"), RangeError, "generic.encoding");
});
