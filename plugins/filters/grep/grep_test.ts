import { parse } from "yaml";
import { Ack } from "../../../src/event/ack.ts";
import { withRecords } from "../../../src/event/chunk.ts";
import { GROUP_END, GROUP_START, logRecord } from "../../../src/event/log_record.ts";
import type { TraceChunk } from "../../../src/event/chunk.ts";
import { assert, assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import {
  bodiesOf,
  filterProcess,
  logChunk,
  optionsFromYaml,
} from "../../../src/testing/filter_context.ts";
import { plugin } from "./mod.ts";

/** The grep docs' lines.txt, as the tail input with the json parser reads it. */
const LINES = ["aaa", "aab", "bbb", "ccc", "ddd", "eee", "fff", "ggg"].map((log) => ({ log }));

async function grep(options: Record<string, unknown>, bodies: Record<string, unknown>[]) {
  const process = await filterProcess(plugin, options);
  return bodiesOf(process(logChunk(bodies)));
}

Deno.test("grep regex keeps the doc example's lines starting with aa", async () => {
  assertEquals(await grep({ regex: ["log aa"] }, LINES), [{ log: "aaa" }, { log: "aab" }]);
});

Deno.test("grep exclude drops the matching records", async () => {
  const out = await grep({ exclude: ["log ^a"] }, LINES);
  assertEquals(out.map((b) => b.log), ["bbb", "ccc", "ddd", "eee", "fff", "ggg"]);
});

Deno.test("grep exclude reaches nested fields with a record accessor (doc example)", async () => {
  const k8s = (app: string) => ({
    log: "something",
    kubernetes: { pod_name: "myapp-0", labels: { app }, host: "minikube" },
  });
  const out = await grep({ exclude: ["$kubernetes['labels']['app'] myapp"] }, [
    k8s("myapp"),
    k8s("other"),
  ]);
  assertEquals(out, [k8s("other")]);
});

Deno.test("grep regex drops records whose key is missing or invalid (doc example)", async () => {
  const out = await grep({ regex: ["iot_timestamp ^\\d{4}-\\d{2}-\\d{2}"] }, [
    { iot_timestamp: "2024-01-02T03:04:05Z" },
    { iot_timestamp: "" },
    { iot_timestamp: "garbage" },
    { other: 1 },
  ]);
  assertEquals(out, [{ iot_timestamp: "2024-01-02T03:04:05Z" }]);
});

Deno.test("grep runs the doc's logical_op or config from YAML", async () => {
  const text = await Deno.readTextFile(
    new URL("../../../testdata/filters/fbdocs-grep-logical_op__fluent-bit.yaml", import.meta.url),
  );
  const section = parse(text).pipeline.filters[0];
  const options = optionsFromYaml(plugin.options, section);
  assertEquals(options.regex, ["value something", "value error"]);
  assertEquals(options.logical_op, "or");
  const out = await grep(options, [
    { endpoint: "localhost", value: "something" },
    { endpoint: "localhost", value: "an error" },
    { endpoint: "localhost", value: "fine" },
  ]);
  assertEquals(out.map((b) => b.value), ["something", "an error"]);
});

Deno.test("grep legacy mode keeps a record only when every regex matches", async () => {
  // Fluent Bit's runtime test flb_test_filter_grep_multi_regex.
  const out = await grep({ regex: ["log deprecated", "log option"] }, [
    { log: "Using deprecated option" },
    { log: "Using option" },
    { log: "Using deprecated" },
  ]);
  assertEquals(out, [{ log: "Using deprecated option" }]);
});

Deno.test("grep legacy mode drops a record when any exclude matches", async () => {
  // Fluent Bit's runtime test flb_test_filter_grep_multi_exclude.
  const out = await grep({ exclude: ["log deprecated", "log hoge"] }, [
    { log: "Using deprecated option" },
    { log: "Using option" },
    { log: "hoge" },
  ]);
  assertEquals(out, [{ log: "Using option" }]);
});

Deno.test("grep legacy mode applies excludes before the regex", async () => {
  const out = await grep({ regex: ["level ^(warn|error)$"], exclude: ["msg healthcheck"] }, [
    { level: "error", msg: "disk full" },
    { level: "error", msg: "healthcheck failed" },
    { level: "info", msg: "started" },
  ]);
  assertEquals(out, [{ level: "error", msg: "disk full" }]);
});

Deno.test("grep and keeps records matching every regex", async () => {
  const out = await grep({ logical_op: "and", regex: ["a ^1$", "b ^2$"] }, [
    { a: "1", b: "2" },
    { a: "1", b: "3" },
    { a: "0", b: "2" },
  ]);
  assertEquals(out, [{ a: "1", b: "2" }]);
});

Deno.test("grep or keeps records matching any regex", async () => {
  const out = await grep({ logical_op: "or", regex: ["a ^1$", "b ^2$"] }, [
    { a: "1", b: "0" },
    { a: "0", b: "2" },
    { a: "0", b: "0" },
  ]);
  assertEquals(out, [{ a: "1", b: "0" }, { a: "0", b: "2" }]);
});

Deno.test("grep and drops only records matching every exclude", async () => {
  const out = await grep({ logical_op: "and", exclude: ["a ^1$", "b ^2$"] }, [
    { a: "1", b: "2" },
    { a: "1", b: "3" },
    { b: "2" },
  ]);
  assertEquals(out, [{ a: "1", b: "3" }, { b: "2" }]);
});

Deno.test("grep or drops records matching any exclude", async () => {
  const out = await grep({ logical_op: "OR", exclude: ["a ^1$", "b ^2$"] }, [
    { a: "1", b: "0" },
    { a: "0", b: "2" },
    { a: "0", b: "0" },
  ]);
  assertEquals(out, [{ a: "0", b: "0" }]);
});

Deno.test("grep and/or refuse to mix regex and exclude", async () => {
  for (const op of ["and", "or"]) {
    await assertRejects(
      async () =>
        await filterProcess(plugin, { logical_op: op, regex: ["val 1"], exclude: ["b 3"] }),
      RangeError,
      `logical_op "${op}"`,
    );
  }
});

Deno.test("grep matches numbers and booleans as text, maps as JSON", async () => {
  // Fluent Bit matches strings only (issues #3596, #4004, #6284); sluice matches the text.
  const out = await grep({ exclude: ["status ^2", "ok true", 'obj "k"'] }, [
    { status: 200 },
    { status: 404 },
    { status: 404, ok: true },
    { status: 500, obj: { k: 1 } },
    { status: null },
  ]);
  assertEquals(out, [{ status: 404 }, { status: null }]);
});

Deno.test("grep accepts /REGEX/ delimiters and Onigmo syntax", async () => {
  // Fluent Bit issue #5209 and its runtime test.
  const out = await grep({ exclude: ["log /Using deprecated option/"] }, [
    { log: "Using deprecated option" },
    { val: "1" },
  ]);
  assertEquals(out, [{ val: "1" }]);
  assertEquals(await grep({ regex: ["id \\A\\h+\\z"] }, [{ id: "beef" }, { id: "xyz" }]), [{
    id: "beef",
  }]);
});

Deno.test("grep takes the regex after the first run of whitespace, spaces included", async () => {
  const out = await grep({ regex: ["msg   disk full$"] }, [{ msg: "the disk full" }, {
    msg: "disk",
  }]);
  assertEquals(out, [{ msg: "the disk full" }]);
});

Deno.test("grep rejects bad rules with SyntaxError naming the key and value", async () => {
  await assertRejects(() => filterProcess(plugin, { regex: ["log"] }), SyntaxError, '"regex"');
  await assertRejects(
    () => filterProcess(plugin, { exclude: ["log a("] }),
    SyntaxError,
    '"exclude" value "log a("',
  );
  await assertRejects(
    () => filterProcess(plugin, { regex: ["$a[ x"] }),
    SyntaxError,
    'record accessor "$a["',
  );
});

Deno.test("grep drops the whole chunk when no record is kept, keeping its ack", async () => {
  const process = await filterProcess(plugin, { regex: ["log zzz"] });
  const chunk = logChunk(LINES);
  assertEquals(process(chunk), null);
  assert(!chunk.ack.settled, "the engine settles acks, not the filter");
});

Deno.test("grep returns the same chunk when every record is kept", async () => {
  const process = await filterProcess(plugin, { regex: ["log ."] });
  const chunk = logChunk(LINES);
  assert(process(chunk) === chunk);
});

Deno.test("grep keeps the ack and tag of a filtered chunk", async () => {
  const process = await filterProcess(plugin, { regex: ["log aa"] });
  const chunk = logChunk(LINES, "app.web");
  const out = process(chunk)!;
  assert(out.ack === chunk.ack);
  assertEquals(out.tag, "app.web");
  assertEquals(out.records.length, 2);
});

Deno.test("grep keeps OTLP group markers around kept records", async () => {
  const process = await filterProcess(plugin, { regex: ["log aa"] });
  const base = logChunk([]);
  const records = [
    logRecord({ resource: {} }, GROUP_START),
    logRecord({ log: "aaa" }),
    logRecord({ log: "bbb" }),
    logRecord({}, GROUP_END),
  ];
  const out = process(withRecords(base, records));
  assertEquals(bodiesOf(out), [{ resource: {} }, { log: "aaa" }, {}]);
  assertEquals(process(withRecords(base, [records[0]!, records[2]!, records[3]!])), null);
});

Deno.test("grep passes chunks of other signals through", async () => {
  const process = await filterProcess(plugin, { regex: ["log aa"] });
  const traces: TraceChunk = {
    signal: "traces",
    tag: "t",
    bytes: 0,
    ack: new Ack(),
    input: "x",
    records: [],
  };
  assert(process(traces) === traces);
});

Deno.test("grep declares Fluent Bit's keys with their defaults", () => {
  assertEquals(Object.keys(plugin.options).sort(), ["exclude", "logical_op", "regex"]);
  assertEquals(plugin.options.logical_op.default, "legacy");
  assert(plugin.options.regex.multiple && plugin.options.exclude.multiple);
});
