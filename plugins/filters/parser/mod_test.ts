import { loadConfigFile, loadParsersFile } from "../../../src/config/load.ts";
import { resolveConfig } from "../../../src/config/resolve.ts";
import { makeRegistry } from "../../../src/plugin.ts";
import type { LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { logRecord, type RecordMap } from "../../../src/event/log_record.ts";
import { buildParserRegistry } from "../../../src/parsers/registry.ts";
import { assertEquals, assertRejects } from "../../../src/testing/assert.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { plugin as dummy } from "../../inputs/dummy/mod.ts";
import { plugin } from "./mod.ts";

const dir = new URL("../../../testdata/filters/", import.meta.url).pathname;

Deno.test("parser filter runs the docs' reserve_data example loaded from its YAML files", async () => {
  const raw = await loadConfigFile(`${dir}fbdocs-parser-reserve_data__fluent-bit.yaml`);
  const { parsers } = await loadParsersFile(`${dir}fbdocs-parser-reserve_data__parsers.yaml`);
  const config = resolveConfig(
    { ...raw, outputs: [], parsers },
    makeRegistry([dummy, plugin]),
  );
  const ctx = testInputContext({ parsers: buildParserRegistry(config.parsers) });
  const filter = config.filters[0];
  const instance = await filter!.plugin.create(filter!.options, ctx);
  const body = config.inputs[0]!.options.dummy as RecordMap;
  const chunk = ctx.chunk([logRecord(body, new EventTime(1, 0))]);
  const out = instance.process!(chunk) as LogChunk;
  const expected = {
    INT: "100",
    FLOAT: "0.5",
    BOOL: "true",
    STRING: "This is example",
    key1: "value1",
    key2: "value2",
  };
  assertEquals(out.records[0]!.body, expected);
  assertEquals(Object.keys(out.records[0]!.body), Object.keys(expected));
  assertEquals(out.ack === chunk.ack, true);
});

Deno.test("parser filter create() names unknown parsers and lists the known ones", async () => {
  const ctx = testInputContext({ parsers: buildParserRegistry([]) });
  const values = {
    key_name: "log",
    parser: ["json", "nope"],
    reserve_data: false,
    preserve_key: false,
    unescape_key: undefined,
  };
  await assertRejects(
    async () => await plugin.create(values, ctx),
    SyntaxError,
    'Unknown parser "nope": known parsers are apache, apache2, apache_error, cri',
  );
  await assertRejects(
    async () => await plugin.create({ ...values, parser: [] }, ctx),
    SyntaxError,
    'Missing "parser"',
  );
});

Deno.test("parser filter accepts the deprecated unescape_key and says so", async () => {
  const ctx = testInputContext({ parsers: buildParserRegistry([]) });
  const values = {
    key_name: "log",
    parser: ["logfmt"],
    reserve_data: true,
    preserve_key: false,
    unescape_key: "on",
  };
  const instance = await plugin.create(values, ctx);
  const out = instance.process!(ctx.chunk([logRecord({ log: "a=1", k: 2 })])) as LogChunk;
  assertEquals(out.records[0]!.body, { a: "1", k: 2 });
  assertEquals(ctx.logLines.some((l) => l.includes("unescape_key is deprecated")), true);
});

Deno.test("parser filter declares Fluent Bit's keys and defaults", () => {
  assertEquals(Object.keys(plugin.options).sort(), [
    "key_name",
    "parser",
    "preserve_key",
    "reserve_data",
    "unescape_key",
  ]);
  assertEquals(plugin.options.reserve_data.default, false);
  assertEquals(plugin.options.preserve_key.default, false);
  assertEquals(plugin.options.key_name.required, true);
  assertEquals(plugin.options.parser.multiple, true);
});
