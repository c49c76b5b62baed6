import { loadParsersFile } from "../config/load.ts";
import { ConfigError } from "../config/model.ts";
import type { ParserConfig } from "../config/resolved.ts";
import { resolveConfig } from "../config/resolve.ts";
import { makeRegistry } from "../plugin.ts";
import { assert, assertEquals, assertStringIncludes } from "../testing/assert.ts";
import { BUILTIN_PARSERS, parserDefinition } from "./builtin.ts";
import { buildParserRegistry } from "./registry.ts";
import type { ParserValues } from "../config/common_options.ts";

const CONF = new URL("../../testdata/parsers/fb-conf__parsers.conf", import.meta.url).pathname;

/** Fluent Bit's conf/parsers.conf through the real loader and resolver. */
async function loadDefinitions(path: string): Promise<ParserConfig[]> {
  const { parsers } = await loadParsersFile(path);
  const raw = {
    file: path,
    files: [path],
    service: [],
    inputs: [],
    filters: [],
    outputs: [],
    parsers,
    multilineParsers: [],
  };
  return resolveConfig(raw, makeRegistry([])).parsers;
}

function at(line: number, values: Partial<ParserValues>): ParserConfig {
  return { values: parserDefinition(values), pos: { file: "parsers.yaml", line, col: 3 } };
}

Deno.test("buildParserRegistry() includes the built-in parsers unless told not to", () => {
  const all = buildParserRegistry([]);
  assertEquals(all.names(), BUILTIN_PARSERS.map((p) => p.name!).sort());
  assertEquals(all.get("docker")?.format, "json");
  assertEquals(buildParserRegistry([], { builtins: false }).names(), []);
});

Deno.test("buildParserRegistry() lets a user definition replace a built-in one", () => {
  const reg = buildParserRegistry([at(2, { name: "json", format: "logfmt" })]);
  assertEquals(reg.get("json")?.format, "logfmt");
  assertEquals(reg.get("json")?.parse("a=1")?.body, { a: "1" });
});

Deno.test("buildParserRegistry() reports every problem with position and key", () => {
  let error: unknown;
  try {
    buildParserRegistry([
      at(2, { name: "bad_regex", format: "regex", regex: "(?<open" }),
      at(6, { name: "bad_time", format: "json", time_format: "%Y-%Q", types: "a:int" }),
      at(10, { name: "zones", format: "json", time_zone: "Mars/Olympus" }),
      at(14, { name: "offset", format: "json", time_format: "%T", time_offset: "0200" }),
      at(18, { name: "dec", format: "json", decode_field: ["gzip log"] }),
      at(22, { name: "bad_regex", format: "json" }),
    ]);
  } catch (e) {
    error = e;
  }
  assert(error instanceof ConfigError, "expected a ConfigError");
  const seen = error.problems.map((p) => `${p.pos.line} ${p.key}`);
  assertEquals(seen, [
    "2 regex",
    "6 time_format",
    "6 types",
    "10 time_zone",
    "10 time_zone",
    "14 time_offset",
    "18 decode_field",
    "22 name",
  ]);
  assertStringIncludes(error.message, 'parsers.yaml:6:3: key "time_format": parser "bad_time"');
  assertStringIncludes(error.message, "first defined at parsers.yaml:2:3");
});

Deno.test("buildParserRegistry() compiles every parser of Fluent Bit's conf/parsers.conf", async () => {
  const defs = await loadDefinitions(CONF);
  assertEquals(defs.length, 18);
  const reg = buildParserRegistry(defs, { builtins: false });
  assertEquals(reg.names().length, 18);
  const apache2 = reg.get("apache2")!.parse(
    '192.168.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326 "-" "Moz"',
  );
  assertEquals(apache2?.body.path, "/a.gif");
  assertEquals(apache2?.time?.sec, 971211336);
  const nginx = reg.get("nginx")!.parse(
    '172.17.0.1 - - [29/Jul/2015:10:27:10 -0300] "GET / HTTP/1.1" 200 612 "-" "curl/7.68.0"',
  );
  assertEquals(nginx?.body.agent, "curl/7.68.0");
  const json = reg.get("json")!.parse('{"time":"29/Jul/2015:10:27:10 -0300","a":1}');
  assertEquals([json?.body, json?.time?.sec], [{ a: 1 }, 1438176430]);
  const rfc5424 = reg.get("syslog-rfc5424")!.parse(
    "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time",
  );
  assertEquals([rfc5424?.body.ident, rfc5424?.time?.nsec], ["myproc", 3000]);
  const rfc3164 = reg.get("syslog-rfc3164")!.parse(
    "<34>Oct 11 22:14:15 mymachine su: 'su root' failed",
  );
  assertEquals(rfc3164?.body.host, "mymachine");
  assertEquals(rfc3164?.body.message, "'su root' failed");
});
