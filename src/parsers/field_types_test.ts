import { assertEquals, assertThrows } from "../testing/assert.ts";
import { castField, parseFieldTypes } from "./field_types.ts";

Deno.test("parseFieldTypes() reads name:type pairs separated by spaces", () => {
  const types = parseFieldTypes("code:integer  size:INTEGER ok:bool ratio:float id:hex s:string");
  assertEquals([...types], [
    ["code", "integer"],
    ["size", "integer"],
    ["ok", "bool"],
    ["ratio", "float"],
    ["id", "hex"],
    ["s", "string"],
  ]);
});

Deno.test("parseFieldTypes() names every bad entry", () => {
  assertThrows(
    () => parseFieldTypes("a:integer b:number c :bool"),
    SyntaxError,
    '"b:number", "c", ":bool"',
  );
});

Deno.test("castField() converts like atoll, strtoull, atof and a true/false prefix", () => {
  assertEquals(castField("integer", "200"), 200);
  assertEquals(castField("integer", "-12abc"), -12);
  assertEquals(castField("integer", "abc"), 0);
  assertEquals(castField("hex", "ff"), 255);
  assertEquals(castField("hex", "0x1A"), 26);
  assertEquals(castField("hex", "zz"), 0);
  assertEquals(castField("float", "0.5"), 0.5);
  assertEquals(castField("float", "1e3ms"), 1000);
  assertEquals(castField("float", "x"), 0);
  assertEquals(castField("bool", "True"), true);
  assertEquals(castField("bool", "FALSE"), false);
  assertEquals(castField("bool", "yes"), "yes");
  assertEquals(castField("string", "100"), "100");
});
