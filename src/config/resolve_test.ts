import { assert, assertEquals } from "../testing/assert.ts";
import { parseClassicConfig } from "./classic_loader.ts";
import { loadConfigFile } from "./load.ts";
import { rawConfigFromArgs } from "./quick_mode.ts";
import { sourceOrderOf } from "./options.ts";
import { resolveConfig } from "./resolve.ts";
import { formatProblem } from "./model.ts";
import { problemsOf, rawOf, registry, yaml } from "./_test_registry.ts";

Deno.test("resolveConfig() types values, fills defaults and names instances", () => {
  const config = resolveConfig(
    yaml(`service:
  flush: 500ms
  Log_Level: debug
  http_server: on
pipeline:
  inputs:
    - name: dummy
      Rate: "5"
      tag: app
    - name: dummy
      alias: second
    - name: Tail
      path: /var/log/*.log
      read_from_head: yes
  filters:
    - name: grep
      match: 'app*'
      regex: [log a, log b]
      REGEX: log c
  outputs:
    - name: stdout
      match: '*'
      format: JSON_lines
`),
    registry,
  );
  assertEquals(config.service.flush, 0.5);
  assertEquals(config.service.log_level, "debug");
  assertEquals(config.service.http_server, true);
  assertEquals(config.service.http_port, 2020);
  assertEquals(config.inputs.map((i) => i.name), ["dummy.0", "second", "tail.2"]); // numbered across plugins, alias included (Fluent Bit)
  assertEquals(config.inputs[0]!.options, {
    rate: 5,
    dummy: '{"message":"dummy"}',
    interval: 1,
    samples: 0,
  });
  assertEquals(config.inputs[0]!.common.tag, "app");
  assertEquals(config.inputs[0]!.common.mem_buf_limit, 0);
  assertEquals(config.inputs[2]!.options, { path: "/var/log/*.log", read_from_head: true });
  assertEquals(config.inputs[2]!.processors, { logs: [], traces: [], metrics: [] });
  assertEquals(config.filters[0]!.name, "grep.0");
  assertEquals(config.filters[0]!.options.regex, ["log a", "log b", "log c"]);
  assertEquals(config.filters[0]!.common.match, "app*");
  assertEquals(config.outputs[0]!.options.format, "json_lines");
  // A key the plugin declares that is also common goes to both, each with its default.
  assertEquals(config.outputs[0]!.options.workers, 1);
  assertEquals(config.outputs[0]!.common.workers, undefined);
  assertEquals(config.outputs[0]!.common.retry_limit, 1);
  assertEquals(config.inputs[0]!.pos, { file: "fb.yaml", line: 7, col: 7 });
});

Deno.test("resolveConfig() reports an unknown key with did-you-mean at file:line:col", () => {
  const problems = problemsOf(yaml("pipeline:\n  inputs:\n    - name: dummy\n      ratee: 5\n"));
  assertEquals(problems, [
    'fb.yaml:4:7: key "ratee": unknown key for input "dummy" (did you mean "rate"?)',
  ]);
});

Deno.test("resolveConfig() suggests common keys too", () => {
  const problems = problemsOf(
    yaml("pipeline:\n  inputs:\n    - name: dummy\n      mem_buf_limt: 5M\n"),
  );
  assertEquals(problems, [
    'fb.yaml:4:7: key "mem_buf_limt": unknown key for input "dummy" (did you mean "mem_buf_limit"?)',
  ]);
});

Deno.test("resolveConfig() reports a bad duration and a bad whole number", () => {
  const problems = problemsOf(
    yaml("service:\n  flush: soon\npipeline:\n  inputs:\n    - name: dummy\n      rate: fast\n"),
  );
  assertEquals(problems, [
    'fb.yaml:2:3: key "flush": expected a duration like 5s, 500ms, 1.5m, 1h or 1d, got "soon"',
    'fb.yaml:6:7: key "rate": expected a whole number, got "fast"',
  ]);
});

Deno.test("resolveConfig() reports an unknown plugin listing the available ones", () => {
  const problems = problemsOf(
    yaml("pipeline:\n  outputs:\n    - name: stdot\n  inputs:\n    - name: tial\n"),
  );
  assertEquals(problems, [
    'fb.yaml:5:7: key "name": unknown input plugin "tial": available: dummy, opentelemetry, tail (did you mean "tail"?)',
    'fb.yaml:3:7: key "name": unknown output plugin "stdot": available: stdout (did you mean "stdout"?)',
  ]);
});

Deno.test("resolveConfig() reports a missing name and a missing required key", () => {
  const problems = problemsOf(yaml("pipeline:\n  inputs:\n    - tag: x\n    - name: tail\n"));
  assertEquals(problems, [
    'fb.yaml:3:7: key "name": required key is not set for input',
    'fb.yaml:4:7: key "path": required key is not set for input "tail"',
  ]);
});

Deno.test("resolveConfig() reports check() failures and bad choices", () => {
  const problems = problemsOf(
    yaml(
      "pipeline:\n  inputs:\n    - name: dummy\n      samples: -1\n  filters:\n    - name: grep\n      logical_op: xor\n",
    ),
  );
  assertEquals(problems, [
    'fb.yaml:4:7: key "samples": expected 0 or more',
    'fb.yaml:7:7: key "logical_op": expected one of legacy, and, or, got "xor"',
  ]);
});

Deno.test("resolveConfig() resolves processors per signal, filters as logs processors", () => {
  const config = resolveConfig(
    yaml(`pipeline:
  inputs:
    - name: opentelemetry
      processors:
        logs:
          - name: grep
            regex: log x
          - name: content_modifier
            action: upsert
        traces:
          - name: sampling
            type: tail
            sampling_settings: {Decision_Wait: 5s}
            conditions: [{type: latency}]
          - name: content_modifier
            alias: cm
  outputs:
    - name: stdout
      processors:
        metrics:
          - name: content_modifier
`),
    registry,
  );
  const chains = config.inputs[0]!.processors;
  assertEquals(chains.logs.map((p) => [p.plugin.kind, p.name]), [["filter", "grep.0"], [
    "processor",
    "content_modifier.0",
  ]]);
  assertEquals(chains.logs[0]!.options.regex, ["log x"]);
  assertEquals(chains.traces.map((p) => p.name), ["sampling.0", "cm"]);
  assertEquals(chains.traces[0]!.options.sampling_settings, { decision_wait: "5s" });
  assertEquals(chains.traces[0]!.options.conditions, [{ type: "latency" }]);
  // An aliased instance still takes its number, as in Fluent Bit.
  assertEquals(config.outputs[0]!.processors.metrics[0]!.name, "content_modifier.2");
});

Deno.test("resolveConfig() skips with a warning a processor under a signal it does not handle", () => {
  const config = resolveConfig(
    yaml(`pipeline:
  inputs:
    - name: opentelemetry
      processors:
        logs:
          - name: sampling
            type: tail
`),
    registry,
  );
  assertEquals(config.inputs[0]!.processors.logs, []);
  assertEquals(config.warnings?.map(formatProblem), [
    'fb.yaml:6:13: key "name": processor "sampling" does not handle logs and is skipped ' +
    "(move it under processors.traces)",
  ]);
});

Deno.test("resolveConfig() rejects filters and unknown names on signals they do not handle", () => {
  const problems = problemsOf(
    yaml(`pipeline:
  inputs:
    - name: opentelemetry
      processors:
        logs:
          - name: sampling
            type: tail
        traces:
          - name: grep
          - name: nothing
`),
  );
  assertEquals(problems, [
    'fb.yaml:9:13: key "name": filter "grep" can be a processor for logs only, not traces',
    'fb.yaml:10:13: key "name": unknown traces processor plugin "nothing": available: content_modifier, sampling',
  ]);
});

Deno.test("resolveConfig() reports several problems of several sections together", () => {
  const problems = problemsOf(
    yaml(`service:
  flsh: 1
pipeline:
  inputs:
    - name: dummy
      interval: later
      alias: a
    - name: dummy
      alias: a
  outputs:
    - name: stdout
      retry_limit: [1, 2]
parsers:
  - name: p
    format: xml
    time_kep: true
`),
  );
  assertEquals(problems, [
    'fb.yaml:6:7: key "interval": expected a duration like 5s, 500ms, 1.5m, 1h or 1d, got "later"',
    'fb.yaml:9:7: key "alias": input name "a" is already used by another input',
    'fb.yaml:12:7: key "retry_limit": expected a single value, got a list',
    'fb.yaml:15:5: key "format": expected one of json, regex, ltsv, logfmt, got "xml"',
    'fb.yaml:16:5: key "time_kep": unknown key for parser (did you mean "time_keep"?)',
  ]);
});

Deno.test("resolveConfig() reads classic configs: repeated keys, parsers and multiline rules", () => {
  const raw = rawOf(
    parseClassicConfig(
      `[SERVICE]
    Flush 5
    Parsers_File a.conf
    Parsers_File b.conf
[INPUT]
    Name  dummy
[FILTER]
    Name  grep
    Regex log a
    Regex log b
[PARSER]
    Name   docker
    Format json
    Time_Keep On
    Decode_Field_As json log
[MULTILINE_PARSER]
    name  ml
    rule  "start_state" "/^a/" "cont"
    rule  "cont" "/^b/" "cont"
`,
      "fb.conf",
    ),
    "fb.conf",
  );
  const config = resolveConfig(raw, registry);
  assertEquals(config.service.flush, 5);
  assertEquals(config.service.parsers_file, ["a.conf", "b.conf"]);
  assertEquals(config.filters[0]!.options.regex, ["log a", "log b"]);
  assertEquals(config.parsers[0]!.values.time_keep, true);
  assertEquals(config.parsers[0]!.values.decode_field_as, ["json log"]);
  assertEquals(config.parsers[0]!.values.time_strict, true);
  assertEquals(config.multilineParsers[0]!.values.rule, [
    '"start_state" "/^a/" "cont"',
    '"cont" "/^b/" "cont"',
  ]);
  assertEquals(config.multilineParsers[0]!.values.flush_timeout, 4000);
  assertEquals(config.multilineParsers[0]!.pos, { file: "fb.conf", line: 16, col: 1 });
});

Deno.test("resolveConfig() validates quick-mode configs with command-line positions", () => {
  const raw = rawConfigFromArgs([
    { flag: "i", value: "dummy" },
    { flag: "p", value: "rat=1" },
    { flag: "o", value: "stdout" },
    { flag: "f", value: "2" },
  ]);
  const problems = problemsOf(raw);
  assertEquals(problems, [
    '<command line>:1:2: key "rat": unknown key for input "dummy" (did you mean "rate"?)',
  ]);
  const ok = resolveConfig(
    rawConfigFromArgs([{ flag: "i", value: "dummy" }, { flag: "f", value: "2" }]),
    registry,
  );
  assertEquals(ok.service.flush, 2);
  assert(ok.outputs.length === 0);
});

Deno.test("loadConfigFile() then resolveConfig() report problems in included files with their paths", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/main.yaml`,
      "includes: [inputs.yaml]\npipeline:\n  outputs:\n    - name: stdout\n      format: yaml\n",
    );
    await Deno.writeTextFile(
      `${dir}/inputs.yaml`,
      "pipeline:\n  inputs:\n    - name: dummy\n      interval: 5 parsecs\n",
    );
    const problems = problemsOf(await loadConfigFile(`${dir}/main.yaml`, { env: {} }));
    assertEquals(problems, [
      `${dir}/inputs.yaml:4:7: key "interval": expected a duration like 5s, 500ms, 1.5m, 1h or 1d, got "5 parsecs"`,
      `${dir}/main.yaml:5:7: key "format": expected one of msgpack, json, json_lines, got "yaml"`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("resolveConfig() records repeatable keys in source order across keys", () => {
  const raw = rawOf(
    parseClassicConfig(
      "[FILTER]\n    Name grep\n    Regex a 1\n    Exclude b 2\n    Regex c 3\n",
      "fb.conf",
    ),
    "fb.conf",
  );
  const [filter] = resolveConfig(raw, registry).filters;
  assert(filter !== undefined);
  assertEquals(filter.options.regex, ["a 1", "c 3"]);
  assertEquals(sourceOrderOf(filter.options), [["regex", "a 1"], ["exclude", "b 2"], [
    "regex",
    "c 3",
  ]]);
  assertEquals(Object.keys(filter.options), ["regex", "exclude", "logical_op"]);
});

Deno.test("resolveConfig() warns on unknown service keys and takes log_level warning, as Fluent Bit", () => {
  const config = resolveConfig(
    yaml(`service:
  flsh: 1
  log_level: Warning
pipeline:
  inputs:
    - name: dummy
      log_level: warning
  outputs:
    - name: stdout
`),
    registry,
  );
  assertEquals(config.warnings?.map(formatProblem), [
    'fb.yaml:2:3: key "flsh": unknown key for service, ignored (did you mean "flush"?)',
  ]);
  assertEquals([config.service.log_level, config.inputs[0]?.common.log_level], ["warn", "warn"]);
  assertEquals(problemsOf(yaml("service:\n  log_level: loud\n")), [
    'fb.yaml:2:3: key "log_level": expected one of off, error, warn, info, debug, trace, got "loud"',
  ]);
});
