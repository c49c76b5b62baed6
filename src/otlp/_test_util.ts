/** Helpers for the OTLP codec tests (imported only by `*_test.ts` in this folder). */

/** The bytes of a file in `testdata/otlp/`. */
export function testdata(name: string): Uint8Array {
  return Deno.readFileSync(new URL(`../../testdata/otlp/${name}`, import.meta.url));
}

/** A testdata JSON file, parsed. */
export function testdataJson(name: string): unknown {
  return JSON.parse(new TextDecoder().decode(testdata(name)));
}

/** UTF-8 bytes of a value as JSON text. */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** Bytes from hex, for building expected IDs. */
export function bytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** JSON text with bigints written as plain integers (via `JSON.rawJSON`), as UTF-8 bytes. */
export function exactJsonBytes(value: unknown): Uint8Array {
  const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
  const text = JSON.stringify(value, (_k, v) => typeof v === "bigint" ? raw(String(v)) : v);
  return new TextEncoder().encode(text ?? "null");
}
