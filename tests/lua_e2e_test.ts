/**
 * The lua filter through the CLI: classic .conf and YAML configs (filter, input processor),
 * a script found next to the config, config errors naming file:line and key, and scripts
 * that fail at run time (an error, an endless loop) while the process keeps every record.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { freePort, runSluice, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

const SCRIPT = `
function cb_enrich(tag, timestamp, record)
  record["service"] = "web"
  record["message"] = record["log"]
  record["log"] = nil
  return 2, timestamp, record
end

function cb_fail(tag, timestamp, record)
  if record["n"] == 2 then
    local missing = nil
    return 2, timestamp, missing.field
  end
  if record["n"] == 3 then
    while true do end
  end
  record["seen"] = true
  return 2, timestamp, record
end
`;

const lines = (stdout: string) =>
  stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => {
    const { date: _date, ...rest } = JSON.parse(l);
    return rest;
  });

Deno.test("lua from a classic .conf finds its script next to the config", async () => {
  const dir = await tempDirWith({
    "enrich.lua": SCRIPT,
    "fluent-bit.conf": [
      "[INPUT]",
      "    Name    dummy",
      '    Dummy   {"log": "hello", "n": 1}',
      "    Samples 2",
      "[FILTER]",
      "    Name    lua",
      "    Match   *",
      "    script  enrich.lua",
      "    call    cb_enrich",
      "[OUTPUT]",
      "    Name    stdout",
      "    Match   *",
      "    Format  json_lines",
      "",
    ].join("\n"),
  });
  const r = await runSluice(["-c", `${dir}/fluent-bit.conf`], { cwd: "/" });
  assertEquals(r.code, 0, r.stderr);
  const want = { n: 1, service: "web", message: "hello" };
  assertEquals(lines(r.stdout), [want, want]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lua as an input's logs processor from YAML, with inline code", async () => {
  const dir = await tempDirWith({
    "fluent-bit.yaml": `
pipeline:
  inputs:
    - name: dummy
      dummy: '{"log": "hi"}'
      samples: 1
      processors:
        logs:
          - name: lua
            call: cb
            code: |
              function cb(tag, ts, record)
                record.tag = tag
                return 2, ts, {record, {copy = true}}
              end
  outputs:
    - name: stdout
      match: '*'
      format: json_lines
`,
  });
  const r = await runSluice(["-c", `${dir}/fluent-bit.yaml`]);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(lines(r.stdout), [{ log: "hi", tag: "dummy.0" }, { copy: true }]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lua script errors and endless loops keep the records; the process carries on", async () => {
  const dir = await tempDirWith({
    "fail.lua": SCRIPT,
    "fluent-bit.yaml": `
pipeline:
  inputs:
    - name: tail
      path: \${DIR}/in.log
      read_from_head: true
      exit_on_eof: true
      parser: json
  filters:
    - name: lua
      match: '*'
      script: fail.lua
      call: cb_fail
      call_timeout: 200ms
  outputs:
    - name: stdout
      match: '*'
      format: json_lines
`,
    "in.log": ['{"n":1}', '{"n":2}', '{"n":3}', '{"n":4}', ""].join("\n"),
  });
  const r = await runSluice(["-c", `${dir}/fluent-bit.yaml`], { env: { DIR: dir } });
  assertEquals(r.code, 0, r.stderr);
  assertEquals(lines(r.stdout), [{ n: 1, seen: true }, { n: 2 }, { n: 3 }, { n: 4, seen: true }]);
  assertStringIncludes(r.stderr, "fail.lua:12: attempt to index");
  assertStringIncludes(r.stderr, "ran past call_timeout");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lua failures are counted on the monitoring server, beside the filter's records", async () => {
  const port = freePort();
  const child = spawnSluice([
    "-i",
    "dummy",
    "-p",
    "rate=20",
    "-F",
    "lua",
    "-m",
    "*",
    "-p",
    "call=cb",
    "-p",
    "code=function cb(tag, ts, r) error('no luck') end",
    "-o",
    "null",
    "-H",
    "-P",
    String(port),
    "-f",
    "0.1",
  ]);
  try {
    const prom: string = await waitFor(async () => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`);
      const text = await res.text();
      return /sluice_lua_failures_total\{name="lua\.0",reason="error"\} [1-9]/.test(text)
        ? text
        : "";
    }, { what: "lua failures counted" });
    assertStringIncludes(prom, 'sluice_lua_failures_total{name="lua.0",reason="timeout"} 0');
    assert(/fluentbit_filter_records_total\{name="lua\.0"\} [1-9]/.test(prom), prom);
  } finally {
    child.kill("SIGTERM");
    const out = await child.output();
    assertEquals(out.code, 0);
    assertStringIncludes(new TextDecoder().decode(out.stderr), "no luck");
  }
});

Deno.test("lua config errors name the file, line and key", async () => {
  const dir = await tempDirWith({
    "bad.lua": "function cb(tag, ts, r)\n  return 2, ts, r\nen\n",
    "good.lua": SCRIPT,
  });
  const cases: [string, string, string][] = [
    ["script: missing.lua\n      call: cb", "script", "cannot access script 'missing.lua'"],
    ["script: bad.lua\n      call: cb", "script", "bad.lua:3: 'end' expected"],
    ["script: good.lua\n      call: nope", "call", "function nope is not found"],
    ["script: good.lua", "call", "call"],
    ["code: 'function cb('\n      call: cb", "code", "fluentbit.lua"],
  ];
  for (const [keys, key, message] of cases) {
    const file = `${dir}/fluent-bit.yaml`;
    await Deno.writeTextFile(
      file,
      `pipeline:\n  inputs:\n    - name: dummy\n  filters:\n    - name: lua\n      match: '*'\n      ${keys}\n  outputs:\n    - name: null\n      match: '*'\n`,
    );
    const r = await runSluice(["validate", "-c", file]);
    assertEquals(r.code, 2, `${keys}: ${r.stderr}`);
    assertStringIncludes(r.stderr, `fluent-bit.yaml:`, keys);
    assertStringIncludes(r.stderr, key, keys);
    assertStringIncludes(r.stderr, message, keys);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("sluice plugins lua documents where it differs from LuaJIT", async () => {
  const r = await runSluice(["plugins", "lua"]);
  assertEquals(r.code, 0, r.stderr);
  for (const text of ["call_timeout", "every number is a double", "sluice_lua_failures_total"]) {
    assert(r.stdout.includes(text), `missing ${text}:\n${r.stdout}`);
  }
});
