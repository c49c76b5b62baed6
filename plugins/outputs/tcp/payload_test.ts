import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { decodeRecords } from "../../../src/event/msgpack.ts";
import { assertEquals } from "../../../src/testing/assert.ts";
import { payloadEncoder } from "./payload.ts";

const records: LogRecord[] = [
  { time: new EventTime(1700000000, 500_000_000), metadata: {}, body: { m: "x" } },
  { time: new EventTime(1700000001, 0), metadata: {}, body: { n: 2.5 } },
];
const dec = new TextDecoder();

Deno.test("tcp output json_lines with iso8601 dates (vector 4)", () => {
  const encode = payloadEncoder({ format: "json_lines", json_date_format: "iso8601" });
  assertEquals(
    dec.decode(encode(records)!),
    '{"date":"2023-11-14T22:13:20.500000Z","m":"x"}\n' +
      '{"date":"2023-11-14T22:13:21.000000Z","n":2.5}\n',
  );
});

Deno.test("tcp output json and json_stream; json_date_key off leaves the date out", () => {
  const json = payloadEncoder({ format: "json", json_date_format: "double", json_date_key: "off" });
  assertEquals(dec.decode(json(records)!), '[{"m":"x"},{"n":2.5}]');
  const stream = payloadEncoder({ format: "json_stream", json_date_format: "epoch" });
  assertEquals(
    dec.decode(stream(records)!),
    '{"date":1700000000,"m":"x"}{"date":1700000001,"n":2.5}',
  );
});

Deno.test("tcp output msgpack round-trips as v2 records; raw_message_key sends one value a line", () => {
  const msgpack = payloadEncoder({ format: "msgpack", json_date_format: "double" });
  assertEquals(decodeRecords(msgpack(records)!).map((r) => r.body), [{ m: "x" }, { n: 2.5 }]);
  const raw = payloadEncoder({
    format: "msgpack",
    json_date_format: "double",
    raw_message_key: "m",
  });
  assertEquals(dec.decode(raw(records)!), "x\n");
});
