import { assertEquals, assertThrows } from "../testing/assert.ts";
import { describeDefault, describeType, opt, type OptionValues, parseValue } from "./options.ts";
import { OptionError } from "../plugin.ts";

Deno.test("opt.choice() parses case-insensitively to the choice as written", () => {
  const mode = opt.choice(["parser", "partial_message"] as const, "parser", "Mode");
  // Compile-time: the parsed value's type is the union, not string.
  type Mode = OptionValues<{ mode: typeof mode }>["mode"];
  const typed: (value: Mode) => "parser" | "partial_message" = (v) => v;
  assertEquals(typed("parser"), "parser");
  assertEquals(parseValue(mode, "PARTIAL_MESSAGE"), "partial_message");
  assertThrows(() => parseValue(mode, "other"), SyntaxError, "expected one of parser");
  assertEquals(describeType(mode), "parser|partial_message");
});

Deno.test("opt.custom() parses once with its parser and shows its type and default", () => {
  const n = opt.custom((raw) => Number(String(raw).replace("x", "")), 2, "Factor", {
    shows: "Nx",
  });
  assertEquals(parseValue(n, "3x"), 3);
  assertEquals([describeType(n), describeDefault(n)], ["Nx", "2"]);
  assertThrows(() => parseValue(n, ["1x"]), SyntaxError, "expected a single value");
  const map = opt.custom((raw) => raw as object, {}, "Map", { structured: true });
  assertEquals(parseValue(map, { a: 1 }), { a: 1 });
});

Deno.test("OptionError keeps its key lowercased and is a RangeError", () => {
  const e = new OptionError("Remove_Key", 'Cannot use "remove_key" here');
  assertEquals([e.key, e.name, e instanceof RangeError], ["remove_key", "OptionError", true]);
});
