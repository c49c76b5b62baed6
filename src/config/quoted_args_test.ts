import { assertEquals, assertThrows } from "../testing/assert.ts";
import { ruleArgs, splitArgs } from "./quoted_args.ts";

Deno.test("splitArgs() splits on whitespace runs and gives the rest to the last argument", () => {
  assertEquals(splitArgs("key value", 2), ["key", "value"]);
  assertEquals(splitArgs("  key \t hello   world  ", 2), ["key", "hello   world"]);
  assertEquals(splitArgs("Key_value_equals k some value", 3), [
    "Key_value_equals",
    "k",
    "some value",
  ]);
  assertEquals(splitArgs("a b c", 2), ["a", "b c"]);
  assertEquals(splitArgs("", 2), []);
  assertEquals(splitArgs("   ", 2), []);
});

Deno.test("splitArgs() unquotes double- and single-quoted arguments with escapes", () => {
  assertEquals(splitArgs(`"my key" "hello world"`, 2), ["my key", "hello world"]);
  assertEquals(splitArgs(`'a b' 'it\\'s'`, 2), ["a b", "it's"]);
  assertEquals(splitArgs(`k "say \\"hi\\" \\\\ ok"`, 2), ["k", `say "hi" \\ ok`]);
  assertEquals(splitArgs(`k ""`, 2), ["k", ""]);
  assertEquals(splitArgs(`k "it's"`, 2), ["k", "it's"]);
  assertEquals(splitArgs(`k va"lue`, 2), ["k", `va"lue`]);
});

Deno.test("splitArgs() rejects unterminated quotes and text glued to a quote", () => {
  assertThrows(() => splitArgs(`k "open`, 2), SyntaxError, "unterminated quote");
  assertThrows(() => splitArgs(`"a"b c`, 2), SyntaxError, "after the quoted argument");
  assertThrows(() => splitArgs(`k "a" b`, 2), SyntaxError, "after the quoted argument");
});

Deno.test("ruleArgs() checks the count and names the key and value in errors", () => {
  assertEquals(ruleArgs("rename", "a b", ["KEY", "RENAMED_KEY"]), ["a", "b"]);
  assertEquals(ruleArgs("remove", "a", ["KEY"]), ["a"]);
  assertThrows(
    () => ruleArgs("rename", "onlyonekey", ["KEY", "RENAMED_KEY"]),
    SyntaxError,
    `Cannot parse "rename" value "onlyonekey": expected KEY RENAMED_KEY`,
  );
  assertThrows(() => ruleArgs("remove", "a b", ["KEY"]), SyntaxError, `"remove" value "a b"`);
  assertThrows(() => ruleArgs("set", `"" v`, ["KEY", "VALUE"]), SyntaxError, "expected KEY VALUE");
  assertThrows(() => ruleArgs("set", `k "v`, ["KEY", "VALUE"]), SyntaxError, "unterminated");
});
