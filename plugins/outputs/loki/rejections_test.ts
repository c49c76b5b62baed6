import { assertEquals } from "../../../src/testing/assert.ts";
import type { LokiRequest } from "./payload.ts";
import { parseIgnored, refusedRecords } from "./rejections.ts";

function request(ns: string[], labels = '{job="a"}'): LokiRequest {
  return {
    tenant: undefined,
    body: new Uint8Array(),
    indexes: ns.map((_, i) => i),
    streams: [{ labels, entries: ns.map((n, index) => ({ ns: n, index })) }],
  };
}

const line = (ts: string, reason = "entry out of order") =>
  `entry with timestamp ${ts} ignored, reason: '${reason}',\n`;
const trailer = (n: number, of: number, stream = '{job="a"}') =>
  `user 'fake', total ignored: ${n} out of ${of} for stream: ${stream}`;

Deno.test("parseIgnored reads Go times with fractions and zone offsets", () => {
  const body = line("2023-11-14 22:13:20 +0000 UTC") +
    line("2023-11-14 23:13:20.000000001 +0100 CET") + trailer(2, 5);
  const r = parseIgnored(body)!;
  assertEquals(r.entries.map((e) => e.ns), ["1700000000000000000", "1700000000000000001"]);
});

Deno.test("parseIgnored keeps Loki's whole reason (too far behind)", () => {
  const reason = "entry too far behind, entry timestamp is: 2023-11-14T22:13:20Z, oldest " +
    "acceptable timestamp is: 2023-11-14T23:00:00Z";
  const r = parseIgnored(line("2023-11-14 22:13:20 +0000 UTC", reason) + trailer(1, 1))!;
  assertEquals(r.entries[0]!.reason, reason);
});

Deno.test("refusedRecords names the refused records of a one-stream request", () => {
  const req = request(["3000", "1000", "4000", "2000"]);
  const body = line("1970-01-01 00:00:00.000001 +0000 UTC") +
    line("1970-01-01 00:00:00.000002 +0000 UTC") + trailer(2, 4);
  assertEquals(refusedRecords(req, body)?.map((r) => r.index), [1, 3]);
});

Deno.test("refusedRecords gives up when Loki did not list every refused entry", () => {
  const req = request(["2000", "1000", "1000"]);
  // Loki lists at most max_returned_stream_errors entries; 2 ignored, 1 listed.
  const body = line("1970-01-01 00:00:00.000001 +0000 UTC") + trailer(2, 3);
  assertEquals(refusedRecords(req, body), undefined);
  assertEquals(refusedRecords(request(["1"], '{job="b"}'), trailer(0, 1)), undefined);
  assertEquals(refusedRecords(req, "not a Loki answer"), undefined);
});

Deno.test("refusedRecords picks, among equal timestamps, the entry behind a newer one", () => {
  const req = request(["1000", "5000", "1000"]);
  const body = line("1970-01-01 00:00:00.000001 +0000 UTC") + trailer(1, 3);
  assertEquals(refusedRecords(req, body)?.map((r) => r.index), [2]);
});
