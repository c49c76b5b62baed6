import { assert, assertEquals } from "../testing/assert.ts";
import { parseClassicConfig } from "./classic_loader.ts";
import { formatProblem, type RawSection } from "./model.ts";
import type { FileItem } from "./parsed.ts";

function sections(items: FileItem[]): RawSection[] {
  return items.flatMap((i) => i.type === "section" ? [i.section] : []);
}

Deno.test("parseClassicConfig() reads sections, keys, values and positions", () => {
  const text = `# a comment
[SERVICE]
    Flush        1
    Log_Level    info

[INPUT]
    Name   tail
    # an indented comment
    Path   /var/log/*.log  
    Tag    app.*

[OUTPUT]
    Name  stdout
    Match *
`;
  const { items, problems } = parseClassicConfig(text, "fb.conf");
  assertEquals(problems, []);
  const [service, input, output] = sections(items);
  assert(service !== undefined && output !== undefined);
  assertEquals(service.kind, "service");
  assertEquals(service.pos, { file: "fb.conf", line: 2, col: 1 });
  assertEquals(service.props.map((p) => [p.key, p.value]), [["Flush", "1"], ["Log_Level", "info"]]);
  assertEquals(input!.props[1], {
    key: "Path",
    value: "/var/log/*.log",
    pos: { file: "fb.conf", line: 9, col: 5 },
  });
  assertEquals(output.kind, "output");
  assertEquals(output.props.map((p) => p.value), ["stdout", "*"]);
});

Deno.test("parseClassicConfig() keeps repeated keys and multiline rules as written", () => {
  const text = `[MULTILINE_PARSER]
    name          exception_test
    rule          "start_state"  "/(Dec \\d+ \\d+\\:\\d+\\:\\d+)(.*)/" "cont"
    rule          "cont" "/^\\s+at.*/" "cont"
[FILTER]
    Name   modify
    Add    a 1
    Add    b 2
`;
  const { items, problems } = parseClassicConfig(text, "ml.conf");
  assertEquals(problems, []);
  const [ml, filter] = sections(items);
  assert(ml !== undefined);
  assertEquals(ml.kind, "multiline_parser");
  assertEquals(ml.props.slice(1).map((p) => p.value), [
    '"start_state"  "/(Dec \\d+ \\d+\\:\\d+\\:\\d+)(.*)/" "cont"',
    '"cont" "/^\\s+at.*/" "cont"',
  ]);
  assertEquals(filter!.props.filter((p) => p.key === "Add").map((p) => p.value), ["a 1", "b 2"]);
});

Deno.test("parseClassicConfig() reads @INCLUDE and @SET in order", () => {
  const text = "@SET PORT=2020\n@include conf.d/*.conf\n[INPUT]\n    Name dummy\n@Set  A = b=c \n";
  const { items, problems } = parseClassicConfig(text, "c.conf");
  assertEquals(problems, []);
  assertEquals(items.map((i) => i.type), ["var", "include", "section", "var"]);
  assertEquals(items[0], {
    type: "var",
    name: "PORT",
    value: "2020",
    pos: { file: "c.conf", line: 1, col: 1 },
  });
  assertEquals(items[1], {
    type: "include",
    path: "conf.d/*.conf",
    pos: { file: "c.conf", line: 2, col: 1 },
  });
  assertEquals(items[3], {
    type: "var",
    name: "A",
    value: "b=c",
    pos: { file: "c.conf", line: 5, col: 1 },
  });
});

Deno.test("parseClassicConfig() handles CRLF line ends and a byte-order mark", () => {
  const { items, problems } = parseClassicConfig("\uFEFF[INPUT]\r\n    Name dummy\r\n", "w.conf");
  assertEquals(problems, []);
  assertEquals(sections(items)[0]!.props, [{
    key: "Name",
    value: "dummy",
    pos: { file: "w.conf", line: 2, col: 5 },
  }]);
});

Deno.test("parseClassicConfig() skips sections Fluent Bit knows and sluice ignores", () => {
  const text = "[PLUGINS]\n    Path /x.so\n[UPSTREAM]\n    name u\n[INPUT]\n    Name dummy\n";
  const { items, problems } = parseClassicConfig(text, "i.conf");
  assertEquals(problems, []);
  assertEquals(sections(items).length, 1);
});

Deno.test("parseClassicConfig() reports every malformed line", () => {
  const text = `Name orphan
[INPUTS]
    Name dummy
[FILTER]
    Name
@INCLUDE
@SET NOVALUE
@INCLUDED x.conf
[]
`;
  const { problems } = parseClassicConfig(text, "b.conf");
  assertEquals(problems.map(formatProblem), [
    'b.conf:1:1: key "Name": key outside a section (put it under [SERVICE], [INPUT], ...)',
    'b.conf:2:1: unknown section [INPUTS] (did you mean "[INPUT]"?)',
    'b.conf:5:5: key "Name": missing value',
    "b.conf:6:1: @INCLUDE needs a file path",
    'b.conf:7:1: expected @SET KEY=VALUE, got "@SET NOVALUE"',
    'b.conf:8:1: unknown command @INCLUDED (did you mean "@INCLUDE"?)',
    'b.conf:9:1: invalid section header "[]"',
  ]);
});
