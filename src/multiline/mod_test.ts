import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import { multilineParserOptions } from "../config/common_options.ts";
import { ConfigError } from "../config/model.ts";
import { defaultsOf } from "../config/options.ts";
import type { MultilineParserConfig } from "../config/resolved.ts";
import { buildMultilineRegistry } from "./mod.ts";
import { jsonParsers } from "./_testing.ts";

function config(line: number, extra: Record<string, unknown>): MultilineParserConfig {
  return {
    values: { ...defaultsOf(multilineParserOptions), ...extra },
    pos: { file: "parsers.yaml", line, col: 5 },
  };
}

const good = config(3, {
  name: "exception_test",
  flush_timeout: 1000,
  rules: [
    { state: "start_state", regex: "/(Dec \\d+ \\d+\\:\\d+\\:\\d+)(.*)/", next_state: "cont" },
    { state: "cont", regex: "/^\\s+at.*/", next_state: "cont" },
  ],
});

Deno.test("buildMultilineRegistry() holds the built-ins and the config's parsers", () => {
  const reg = buildMultilineRegistry([good]);
  assertEquals(reg.names(), ["docker", "cri", "go", "python", "java", "ruby", "exception_test"]);
  assertEquals(reg.get("exception_test")?.flushTimeoutMs, 1000);
  assertEquals(reg.get("nope"), undefined);
  assertEquals(reg.bufferLimit, 2_000_000);
});

Deno.test("buildMultilineRegistry() reports every bad definition with its position", () => {
  const err = assertThrows(
    () =>
      buildMultilineRegistry([
        good,
        config(10, { name: "java", rule: ['"start_state" "/x/" "cont"'] }),
        config(20, { name: "bad_rule", rule: ['"cont" "/x/" "cont"'] }),
        config(30, { name: "bad_parser", parser: "missing", key_content: "log", rule: [] }),
        config(40, { name: "exception_test", type: "equal", match_string: "x" }),
      ], { parsers: jsonParsers }),
    ConfigError,
  ) as ConfigError;
  assertEquals(err.problems.map((p) => [p.pos.line, p.key]), [
    [10, "name"],
    [20, "rule"],
    [30, "parser"],
    [40, "name"],
  ]);
  assertStringIncludes(err.message, 'parsers.yaml:10:5: key "name": Multiline parser "java" is');
  assertStringIncludes(err.message, "built-in");
  assertStringIncludes(err.message, 'the first rule\'s state must be "start_state"');
  assertStringIncludes(err.message, 'undefined parser "missing"');
});

Deno.test("buildMultilineRegistry() names the rules key for YAML rules", () => {
  const err = assertThrows(
    () =>
      buildMultilineRegistry([
        config(7, { name: "y", rules: [{ state: "start_state", regex: "/a/", next_state: "b" }] }),
      ]),
    ConfigError,
  ) as ConfigError;
  assertEquals(err.problems[0]!.key, "rules");
  assertStringIncludes(err.problems[0]!.message, 'no rule has state "b"');
});

Deno.test("registry.assembler() tries the listed parsers and rejects unknown names", () => {
  const reg = buildMultilineRegistry([], { bufferLimit: 0 });
  const asm = reg.assembler(["docker", " cri"]);
  assertEquals(asm.parsers.map((p) => p.name), ["docker", "cri"]);
  const out = [
    ...asm.push("f", "2024-05-01T10:00:00Z stdout P a"),
    ...asm.push("f", "2024-05-01T10:00:00Z stdout F b"),
  ];
  assertEquals(out.map((m) => m.record.body.log), ["ab"]);
  const err = assertThrows(() => reg.assembler(["java", "jaava"]), RangeError) as RangeError;
  assertStringIncludes(err.message, 'Unknown multiline parser "jaava": expected one of docker');
  assert(reg.assembler([]).parsers.length === 0);
});
