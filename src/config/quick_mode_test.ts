import { assertEquals, assertThrows } from "../testing/assert.ts";
import { ConfigError, formatProblem } from "./model.ts";
import { COMMAND_LINE, type QuickArg, rawConfigFromArgs } from "./quick_mode.ts";

function values(props: { key: string; value: unknown }[]): [string, unknown][] {
  return props.map((p) => [p.key, p.value]);
}

Deno.test("rawConfigFromArgs() applies -p, -t and -m to the last plugin", () => {
  const args: QuickArg[] = [
    { flag: "i", value: "dummy" },
    { flag: "p", value: "rate=5" },
    { flag: "t", value: "app" },
    { flag: "F", value: "grep" },
    { flag: "p", value: "regex=log a=b" },
    { flag: "m", value: "app*" },
    { flag: "o", value: "stdout" },
    { flag: "m", value: "*" },
    { flag: "f", value: "2" },
  ];
  const raw = rawConfigFromArgs(args);
  assertEquals(raw.file, COMMAND_LINE);
  assertEquals(values(raw.inputs[0]!.props), [["name", "dummy"], ["rate", "5"], ["tag", "app"]]);
  assertEquals(values(raw.filters[0]!.props), [["name", "grep"], ["regex", "log a=b"], [
    "match",
    "app*",
  ]]);
  assertEquals(values(raw.outputs[0]!.props), [["name", "stdout"], ["match", "*"]]);
  assertEquals(values(raw.service[0]!.props), [["flush", "2"]]);
  assertEquals(raw.inputs[0]!.props[1]!.pos, { file: COMMAND_LINE, line: 1, col: 2 });
  assertEquals(raw.outputs[0]!.pos.col, 7);
});

Deno.test("rawConfigFromArgs() reads the URL form of -o and -i", () => {
  const raw = rawConfigFromArgs([
    { flag: "o", value: "tcp://127.0.0.1:5170" },
    { flag: "o", value: "http://[::1]:80/logs?x=1" },
    { flag: "i", value: "forward://0.0.0.0" },
  ]);
  assertEquals(values(raw.outputs[0]!.props), [
    ["name", "tcp"],
    ["host", "127.0.0.1"],
    ["port", "5170"],
    ["match", "*"],
  ]);
  assertEquals(values(raw.outputs[1]!.props), [
    ["name", "http"],
    ["host", "::1"],
    ["port", "80"],
    ["uri", "/logs?x=1"],
    ["match", "*"],
  ]);
  assertEquals(values(raw.inputs[0]!.props), [["name", "forward"], ["host", "0.0.0.0"]]);
});

Deno.test("rawConfigFromArgs() uses the given command-line index for positions", () => {
  const raw = rawConfigFromArgs([{ flag: "i", value: "cpu", index: 3 }]);
  assertEquals(raw.inputs[0]!.pos.col, 3);
});

Deno.test("rawConfigFromArgs() reports every misplaced or malformed flag", () => {
  const e = assertThrows(
    () =>
      rawConfigFromArgs([
        { flag: "p", value: "rate=1" },
        { flag: "i", value: "dummy" },
        { flag: "p", value: "rate" },
        { flag: "o", value: "tcp://a:b:c" },
      ]),
    ConfigError,
  ) as ConfigError;
  assertEquals(e.problems.map(formatProblem), [
    "<command line>:1:1: -p rate=1 comes before any -i, -F or -o",
    '<command line>:1:3: expected -p key=value, got "rate"',
    '<command line>:1:4: cannot read plugin URL "tcp://a:b:c"',
  ]);
});

Deno.test("rawConfigFromArgs() gives an output or filter without -m a match of *, as Fluent Bit", () => {
  const raw = rawConfigFromArgs([
    { flag: "i", value: "dummy" },
    { flag: "F", value: "grep" },
    { flag: "o", value: "stdout" },
    { flag: "o", value: "null" },
    { flag: "m", value: "app.*" },
  ]);
  assertEquals(values(raw.filters[0]!.props), [["name", "grep"], ["match", "*"]]);
  assertEquals(values(raw.outputs[0]!.props), [["name", "stdout"], ["match", "*"]]);
  assertEquals(values(raw.outputs[1]!.props), [["name", "null"], ["match", "app.*"]]);
});
