import { assertEquals } from "../../../src/testing/assert.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { JournalEntry } from "./export_reader.ts";
import { entryBody, entryRecord } from "./records.ts";
import { entryMatcher, matchProblem } from "./filter.ts";

function entry(pairs: [string, string][]): JournalEntry {
  return {
    cursor: "c",
    realtime: 1_700_000_000_000_001,
    names: pairs.map((p) => p[0]),
    values: pairs.map((p) => p[1]),
    bytes: 0,
  };
}

const plain = { stripUnderscores: false, lowercase: false, maxFields: 8000 };

Deno.test("entryRecord: Fluent Bit's test vector 1 (time from the realtime, values as strings)", () => {
  const r = entryRecord(
    entry([["MESSAGE", "hi"], ["PRIORITY", "6"], ["_PID", "42"], [
      "_SYSTEMD_UNIT",
      "cron.service",
    ]]),
    plain,
  );
  assertEquals(r.time, new EventTime(1_700_000_000, 1000));
  assertEquals(r.body, { MESSAGE: "hi", PRIORITY: "6", _PID: "42", _SYSTEMD_UNIT: "cron.service" });
});

Deno.test("entryBody: a repeated name becomes an array, moved to the end at its second value", () => {
  const body = entryBody(
    entry([["TAG", "a"], ["X", "1"], ["TAG", "b"], ["Y", "2"], ["TAG", "c"]]),
    plain,
  );
  assertEquals(Object.keys(body), ["X", "TAG", "Y"]);
  assertEquals(body.TAG, ["a", "b", "c"]);
});

Deno.test("entryBody: max_fields keeps the first fields; one underscore stripped; lowercase", () => {
  const e = entry([["__X", "1"], ["_PID", "2"], ["A", "3"], ["B", "4"]]);
  assertEquals(entryBody(e, { ...plain, maxFields: 2 }), { __X: "1", _PID: "2" });
  assertEquals(entryBody(e, { stripUnderscores: true, lowercase: true, maxFields: 8000 }), {
    _x: "1",
    pid: "2",
    a: "3",
    b: "4",
  });
  // A stripped name that meets another is one field with both values.
  assertEquals(
    entryBody(entry([["_PID", "1"], ["PID", "2"]]), { ...plain, stripUnderscores: true }),
    {
      PID: ["1", "2"],
    },
  );
});

Deno.test("systemd_filter: checked as libsystemd checks matches; and requires every match", () => {
  assertEquals(matchProblem("_SYSTEMD_UNIT=a.service"), undefined);
  assertEquals(matchProblem("A="), undefined);
  for (const bad of ["no_equals", "=x", "lower=x", "__CURSOR=x", "A B=x"]) {
    assertEquals(typeof matchProblem(bad), "string", bad);
  }
  const both = entryMatcher(["TAG=a", "TAG=b"], "and")!;
  assertEquals(both(entry([["TAG", "a"], ["TAG", "b"]])), true);
  assertEquals(both(entry([["TAG", "a"]])), false);
  assertEquals(entryMatcher(["TAG=a", "TAG=b"], "or"), undefined, "journalctl ORs exactly");
});
