import { assert, assertEquals } from "../testing/assert.ts";
import { formatProblem, type RawSection } from "./model.ts";
import type { FileItem } from "./parsed.ts";
import { parseYamlConfig } from "./yaml_loader.ts";

function sections(items: FileItem[], kind?: RawSection["kind"]): RawSection[] {
  return items.flatMap((i) =>
    i.type === "section" && (!kind || i.section.kind === kind) ? [i.section] : []
  );
}

const CANONICAL = `env: {FLUSH: 1}
includes: [inputs.yaml]
service:
  flush: \${FLUSH}
  log_level: info
  http_server: on
  http_port: 2020
parsers:
  - {name: json, format: json, time_key: time}
pipeline:
  inputs:
    - name: tail
      tag: app.*
      storage.type: filesystem
      processors:
        logs: [{name: content_modifier, action: upsert, key: env, value: prod}]
  filters:
    - {name: grep, match: 'app.*', regex: 'level (error|warn)'}
  outputs:
    - {name: opentelemetry, match: '*', port: 4318, retry_limit: no_limits}
`;

Deno.test("parseYamlConfig() reads the canonical example with positions", () => {
  const { items, problems } = parseYamlConfig(CANONICAL, "fb.yaml");
  assertEquals(problems, []);
  assertEquals(items[0], {
    type: "var",
    name: "FLUSH",
    value: "1",
    pos: { file: "fb.yaml", line: 1, col: 7 },
  });
  assertEquals(items[1], {
    type: "include",
    path: "inputs.yaml",
    pos: { file: "fb.yaml", line: 2, col: 12 },
  });
  const [service] = sections(items, "service");
  assertEquals(service!.props.map((p) => [p.key, p.value]), [
    ["flush", "${FLUSH}"],
    ["log_level", "info"],
    ["http_server", "on"],
    ["http_port", 2020],
  ]);
  const [input] = sections(items, "input");
  assert(input !== undefined);
  assertEquals(input.pos, { file: "fb.yaml", line: 12, col: 7 });
  assertEquals(input.props.map((p) => p.key), ["name", "tag", "storage.type"]);
  assertEquals(input.props[2]!.pos, { file: "fb.yaml", line: 14, col: 7 });
  const [proc] = input.processors?.logs ?? [];
  assert(proc !== undefined);
  assertEquals(proc.kind, "processor");
  assertEquals(proc.props.map((p) => [p.key, p.value]), [
    ["name", "content_modifier"],
    ["action", "upsert"],
    ["key", "env"],
    ["value", "prod"],
  ]);
  assertEquals(sections(items, "filter").length, 1);
  assertEquals(sections(items, "output")[0]!.props[3], {
    key: "retry_limit",
    value: "no_limits",
    pos: { file: "fb.yaml", line: 20, col: 53 },
  });
  assertEquals(sections(items, "parser")[0]!.props[2]!.key, "time_key");
});

Deno.test("parseYamlConfig() turns a YAML syntax error into a problem with line and column", () => {
  const bad = parseYamlConfig("pipeline:\n  inputs:\n    - name: a\n      tag: b: c\n", "bad.yaml");
  assertEquals(bad.items, []);
  assertEquals(bad.problems.map(formatProblem), [
    "bad.yaml:4:12: invalid YAML: Nested mappings are not allowed in compact mappings",
  ]);
  const open = parseYamlConfig("pipeline:\n  inputs:\n    - name: [dummy\n", "open.yaml");
  assertEquals(open.problems.map(formatProblem), [
    "open.yaml:4:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ]);
});

Deno.test("parseYamlConfig() reads env in list form, with value or uri", () => {
  const text =
    "env:\n  - name: A\n    value: 1\n  - name: B\n    uri: file:///run/secrets/b\n  - value: x\n";
  const { items, problems } = parseYamlConfig(text, "e.yaml");
  assertEquals(items, [
    { type: "var", name: "A", value: "1", pos: { file: "e.yaml", line: 2, col: 5 } },
    {
      type: "var",
      name: "B",
      uri: "file:///run/secrets/b",
      pos: { file: "e.yaml", line: 4, col: 5 },
    },
  ]);
  assertEquals(problems.length, 1);
  assertEquals(problems[0]!.message, "env entry has no name");
});

Deno.test("parseYamlConfig() rejects variables in include paths", () => {
  const { items, problems } = parseYamlConfig(
    "includes:\n  - ${DIR}/a.yaml\n  - b.yaml\n",
    "i.yaml",
  );
  assertEquals(items, [{
    type: "include",
    path: "b.yaml",
    pos: { file: "i.yaml", line: 3, col: 5 },
  }]);
  assertEquals(
    formatProblem(problems[0]!),
    'i.yaml:2:5: variables are not expanded in include paths: "${DIR}/a.yaml"',
  );
});

Deno.test("parseYamlConfig() reports an unknown top-level key with did-you-mean", () => {
  const text = "pipelines:\n  inputs: []\nplugins: [a.so]\nextensions: {x: {y: 1}}\ncustoms: []\n";
  const { problems } = parseYamlConfig(text, "t.yaml");
  assertEquals(problems.map(formatProblem), [
    't.yaml:1:1: unknown top-level section "pipelines" (did you mean "pipeline"?)',
  ]);
});

Deno.test("parseYamlConfig() merges several pipeline keys and keeps repeated keys", () => {
  const text =
    "pipeline:\n  inputs:\n    - name: a\npipeline:\n  inputs:\n    - name: b\n      add: x\n      add: y\n";
  const { items, problems } = parseYamlConfig(text, "m.yaml");
  assertEquals(problems, []);
  const inputs = sections(items, "input");
  assertEquals(inputs.map((s) => s.props[0]!.value), ["a", "b"]);
  assertEquals(inputs[1]!.props.map((p) => p.value), ["b", "x", "y"]);
});

Deno.test("parseYamlConfig() keeps on/off and numbers as written, nested values as plain JS", () => {
  const text = `pipeline:
  inputs:
    - name: x
      http2: off
      tls: true
      version: 1.10
      port: 08
      rate: 2
      list: [1.10, a]
      sampling_settings:
      settings: {decision_wait: 5s, max: 1.50, on: yes}
`;
  const [input] = sections(parseYamlConfig(text, "v.yaml").items, "input");
  const values = Object.fromEntries(input!.props.map((p) => [p.key, p.value]));
  assertEquals(values, {
    name: "x",
    http2: "off",
    tls: true,
    version: "1.10",
    port: "08",
    rate: 2,
    list: ["1.10", "a"],
    sampling_settings: null,
    settings: { decision_wait: "5s", max: 1.5, on: "yes" },
  });
});

Deno.test("parseYamlConfig() reads processors by signal and a bare list as logs", () => {
  const text = `pipeline:
  inputs:
    - name: a
      processors:
        traces:
          - name: sampling
            conditions: [{type: latency, threshold_ms_low: 200}]
        metrics: []
    - name: b
      processors:
        - name: parser
  outputs:
    - name: c
      processors:
        logz: []
`;
  const { items, problems } = parseYamlConfig(text, "p.yaml");
  const [a, b] = sections(items, "input");
  assert(a && b);
  assertEquals(a.processors?.traces?.[0]?.props[1]?.value, [{
    type: "latency",
    threshold_ms_low: 200,
  }]);
  assertEquals(a.processors?.metrics, []);
  assertEquals(b.processors?.logs?.[0]?.props[0]?.value, "parser");
  assertEquals(problems.map(formatProblem), [
    'p.yaml:15:9: unknown processor signal "logz": expected logs, traces or metrics (did you mean "logs"?)',
  ]);
});

Deno.test("parseYamlConfig() reads multiline parser rules as a plain list", () => {
  const text = `multiline_parsers:
  - name: ml
    type: regex
    rules:
      - state: start_state
        regex: "/^a/"
        next_state: cont
`;
  const [ml] = sections(parseYamlConfig(text, "ml.yaml").items, "multiline_parser");
  assertEquals(ml!.props[2]!.value, [{ state: "start_state", regex: "/^a/", next_state: "cont" }]);
});

Deno.test("parseYamlConfig() reports misshapen sections", () => {
  const text =
    "pipeline:\n  inputs:\n    - just-a-string\n  outputz: []\nservice: [a]\nparsers: {a: 1}\n";
  const { problems } = parseYamlConfig(text, "s.yaml");
  assertEquals(problems.map(formatProblem), [
    "s.yaml:3:7: expected each item of inputs to be a map with a name",
    's.yaml:4:3: unknown pipeline section "outputz" (did you mean "outputs"?)',
    "s.yaml:5:10: expected service to be a map of keys to values",
    "s.yaml:6:10: expected parsers to be a list of maps",
  ]);
});

Deno.test("parseYamlConfig() accepts an empty file and a document marker", () => {
  assertEquals(parseYamlConfig("", "e.yaml"), { items: [], problems: [] });
  assertEquals(parseYamlConfig("---\n# nothing\n", "e.yaml"), { items: [], problems: [] });
});

Deno.test("parseYamlConfig() handles CRLF line ends and a byte-order mark", () => {
  const { items, problems } = parseYamlConfig("\uFEFFservice:\r\n  flush: 1\r\n", "w.yaml");
  assertEquals(problems, []);
  assertEquals(sections(items)[0]!.props, [{
    key: "flush",
    value: 1,
    pos: { file: "w.yaml", line: 2, col: 3 },
  }]);
});
