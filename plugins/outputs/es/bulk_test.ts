import { defaultsOf } from "../../../src/config/options.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { assertEquals, assertStringIncludes, assertThrows } from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { BulkEncoder } from "./bulk.ts";
import { type EsOptions, esOptions } from "./options.ts";
import { bulkSettings, target } from "./settings.ts";

const t = new EventTime(1_700_000_000, 123_000_000);
const now = new EventTime(1_733_300_000, 0); // 2024-12-04

function encode(extra: Partial<EsOptions>, records: LogRecord[], tag = "app") {
  const o = { ...defaultsOf(esOptions), ...extra };
  const enc = new BulkEncoder(bulkSettings(o, testFilterContext()));
  const b = enc.encode(records, tag, now);
  return { ...b, text: new TextDecoder().decode(b.body) };
}

const rec = (body: Record<string, unknown>, time = t): LogRecord => ({ time, metadata: {}, body });

Deno.test("bulk body with the defaults: create, fluent-bit index, _doc type, time key first", () => {
  const { text, items } = encode({}, [rec({ log: "hi", "a.b": 1 })]);
  assertEquals(
    text,
    '{"create":{"_index":"fluent-bit","_type":"_doc"}}\n' +
      '{"@timestamp":"2023-11-14T22:13:20.123Z","log":"hi","a.b":1}\n',
  );
  assertEquals(items, [0]);
});

Deno.test("logstash_format, suppress_type_name, replace_dots and include_tag_key", () => {
  const { text } = encode({
    logstash_format: true,
    suppress_type_name: true,
    replace_dots: true,
    include_tag_key: true,
  }, [rec({ log: "hi", "a.b": 1, m: { "c.d": [{ "e.f": 2 }] } })]);
  assertEquals(
    text,
    '{"create":{"_index":"logstash-2023.11.14"}}\n' +
      '{"@timestamp":"2023-11-14T22:13:20.123Z","flb-key":"app","log":"hi","a_b":1,' +
      '"m":{"c_d":[{"e_f":2}]}}\n',
  );
});

Deno.test("upsert with id_key, update with doc, a record without the id is refused", () => {
  const { text } = encode({ write_operation: "upsert", id_key: "$id" }, [rec({ id: "7", v: 1 })]);
  assertEquals(
    text,
    '{"update":{"_index":"fluent-bit","_type":"_doc","_id":"7"}}\n' +
      '{"doc_as_upsert":true,"doc":{"@timestamp":"2023-11-14T22:13:20.123Z","id":"7","v":1}}\n',
  );
  const u = encode({ write_operation: "update", id_key: "id", suppress_type_name: true }, [
    rec({ id: "8" }),
    rec({ v: 2 }),
    rec({ id: 9 }),
  ]);
  assertEquals(
    u.text,
    '{"update":{"_index":"fluent-bit","_id":"8"}}\n' +
      '{"doc":{"@timestamp":"2023-11-14T22:13:20.123Z","id":"8"}}\n',
  );
  assertEquals(u.items, [0]);
  assertEquals(u.refused.map((r) => r.index), [1, 2]);
  assertStringIncludes(u.refused[0]!.reason, "the value of id is missing");
  assertStringIncludes(u.refused[1]!.reason, "is not string");
});

Deno.test("generate_id gives Fluent Bit's id (captured from its es output) and is stable", () => {
  // Fluent Bit 4.2.8 -o es -p generate_id=on -p include_tag_key=on, tag app, this record.
  const body = { log: "hi", "a.b": 1, n: { "x.y": [{ "k.z": 2 }] }, s: "é" };
  const time = new EventTime(1_700_000_000, 920_000_000);
  const { text } = encode({ generate_id: true, include_tag_key: true }, [rec(body, time)]);
  assertEquals(
    text,
    '{"create":{"_index":"fluent-bit","_type":"_doc","_id":"0086fd7a-4d72-42d0-86bc-a6cf2d6b8845"}}\n' +
      '{"@timestamp":"2023-11-14T22:13:20.920Z","flb-key":"app","log":"hi","a.b":1,' +
      '"n":{"x.y":[{"k.z":2}]},"s":"\\u00e9"}\n',
  );
});

Deno.test("index strftime uses the flush time, logstash dates the record; prefix key; nanos", () => {
  const { text } = encode({ index: "app-%Y.%m", time_key_nanos: true, time_key: "ts" }, [
    rec({ a: 1 }, new EventTime(1_700_000_000, 5)),
  ]);
  assertEquals(
    text,
    '{"create":{"_index":"app-2024.12","_type":"_doc"}}\n{"ts":"2023-11-14T22:13:20.000000005Z","a":1}\n',
  );
  const ls = encode({
    logstash_format: true,
    logstash_prefix_key: "$kubernetes['ns']",
    logstash_prefix_separator: "_",
    logstash_dateformat: "%Y%m%d",
    write_operation: "index",
  }, [rec({ kubernetes: { ns: "web" } }), rec({ other: 1 }), rec({ kubernetes: { ns: 'a"b' } })]);
  assertEquals(ls.text.split("\n").filter((_, i) => i % 2 === 0 && i < 6), [
    '{"index":{"_index":"web_20231114","_type":"_doc"}}',
    '{"index":{"_index":"logstash_20231114","_type":"_doc"}}',
    '{"index":{"_index":"logstash_20231114","_type":"_doc"}}',
  ]);
  const cur = encode({ logstash_format: true, current_time_index: true }, [rec({ a: 1 })]);
  assertStringIncludes(cur.text, '"_index":"logstash-2024.12.04"');
});

Deno.test("update without an id is a config error; cloud_id and auth give the target", () => {
  const o = { ...defaultsOf(esOptions), write_operation: "update" as const };
  assertThrows(() => bulkSettings(o, testFilterContext()), RangeError, "id_key or generate_id");
  const cloud = target({
    ...defaultsOf(esOptions),
    cloud_id: "x:" + btoa("us-east-1.aws.found.io$es123:9243$kb"),
    cloud_auth: "elastic:s3:cret",
    path: "/es/",
    pipeline: "p 1",
  });
  assertEquals(cloud, {
    host: "es123.us-east-1.aws.found.io",
    port: 9243,
    tls: true,
    path: "/es/_bulk/?pipeline=p%201&filter_path=errors,items.*.status,items.*.error",
    user: ["elastic", "s3:cret"],
    apiKey: undefined,
  });
  assertEquals(target({ ...defaultsOf(esOptions), http_api_key: "k" }).apiKey, "ApiKey k");
});

Deno.test("a record with its own time or tag key keeps it at its place, as Fluent Bit's JSON does", () => {
  const { text } = encode({ include_tag_key: true }, [
    rec({ "@timestamp": "mine", log: "a" }),
    rec({ "flb-key": "own", log: "b" }),
    rec({ "@timestamp": "t", "flb-key": "k" }),
  ]);
  assertEquals(text.split("\n").filter((_, i) => i % 2 === 1 && i < 6), [
    '{"flb-key":"app","@timestamp":"mine","log":"a"}',
    '{"@timestamp":"2023-11-14T22:13:20.123Z","flb-key":"own","log":"b"}',
    '{"@timestamp":"t","flb-key":"k"}',
  ]);
});
