/**
 * Fluent Bit's OTLP/JSON log test vectors (tests/internal/data/opentelemetry/logs.json,
 * format in testdata/otlp/fb-tests-internal-opentelemetry__README.md).
 *
 * A case with `expected_error` must fail: `decodeLogs()` throws or `validateLogs()` reports
 * a problem. The other cases must lay out as `expected` says, compared after the
 * normalisation below, except for the deliberate differences in ACCEPTED and DIFFERENT.
 *
 * Normalisation (layout details Fluent Bit's JSON path has and its protobuf path lacks;
 * sluice follows the protobuf path for both formats so JSON and protobuf agree):
 * - `otlp.timestamp` is dropped from our metadata (Fluent Bit's JSON path keeps the time
 *   only in the record header; its protobuf path also writes `otlp.timestamp`);
 * - an empty `scope: {}` is dropped from our group body (the JSON path omits an absent
 *   scope, the protobuf path writes `{}`);
 * - a `dropped_attributes_count` of 0 is dropped from Fluent Bit's group body (the JSON
 *   path copies a present zero; protobuf cannot tell 0 from absent);
 * - IDs are compared as lower-case hex (Fluent Bit stores bytes; its vectors print hex).
 */
import { EventTime } from "../event/event_time.ts";
import type { LogRecord, RecordMap } from "../event/log_record.ts";
import { assert, assertEquals } from "../testing/assert.ts";
import { exactJsonBytes, testdata } from "./_test_util.ts";
import { parseJson } from "./json_read.ts";
import { decodeLogs, hexId, OtlpDecodeError, validateLogs } from "./mod.ts";

interface Expected {
  empty_payload?: boolean;
  group_metadata?: RecordMap;
  group_body?: RecordMap;
  log_metadata?: RecordMap;
  log_body?: RecordMap;
  groups?: {
    metadata: RecordMap;
    body: RecordMap;
    records: { metadata: RecordMap; body: RecordMap }[];
  }[];
}

interface Case {
  input: unknown;
  expected?: Expected;
  expected_error?: { code: string };
}

/** Errors in Fluent Bit that the OTLP spec allows; sluice decodes these to nothing. */
const ACCEPTED: Record<string, string> = {
  resourceLogs_missing: "proto3 JSON: an absent repeated field is empty; `{}` is an empty request",
  scopeLogs_missing: "proto3 JSON: a ResourceLogs without scopeLogs carries no records",
  resource_valid_scope_missing: "proto3 JSON: a ResourceLogs without scopeLogs carries no records",
};

/** Successful cases where sluice's output differs from Fluent Bit's on purpose. */
const DIFFERENT: Record<string, { why: string; body?: RecordMap; scopeAttributes?: RecordMap }> = {
  scope_kvlist_empty_value: {
    why: 'a KeyValue without value is the empty AnyValue, null (Fluent Bit writes "")',
    scopeAttributes: { "empty-key": null },
  },
  scope_kvlist_wrong_value_type: {
    why: 'a KeyValue without value is the empty AnyValue, null (Fluent Bit writes "")',
    scopeAttributes: { "empty-key": null },
  },
  issue_10672_empty_map_as_null: {
    why: 'a KeyValue without value is null like `{}` (Fluent Bit writes "" for the former)',
    body: { empty_map_key: null, normal_key: "normal_value", missing_value_key: null },
  },
  unwrapped_plain_map: {
    why: "the spec says unknown AnyValue fields are ignored, so a bare map is the empty " +
      "value, null (Fluent Bit guesses it is a map of AnyValues)",
    body: { plain: null },
  },
};

const cases = parseJson(testdata("fb-tests-internal-opentelemetry__logs.json")) as Record<
  string,
  Case
>;
const now = () => new EventTime(0, 0);

function norm(v: unknown): unknown {
  if (v instanceof Uint8Array) return hexId(v);
  if (typeof v === "string" && /^[0-9A-F]{16,32}$/.test(v)) return v.toLowerCase();
  if (Array.isArray(v)) return v.map(norm);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
  }
  return v;
}

function ourMetadata(r: LogRecord): unknown {
  const { timestamp: _t, ...otlp } = r.metadata.otlp as RecordMap;
  return norm({ ...r.metadata, otlp });
}

function ourGroupBody(r: LogRecord): RecordMap {
  const body = { ...r.body };
  if (Object.keys(body.scope as RecordMap).length === 0) delete body.scope;
  return norm(body) as RecordMap;
}

function theirGroupBody(b: RecordMap): RecordMap {
  const out: RecordMap = {};
  for (const [k, v] of Object.entries(b)) {
    const m = { ...(v as RecordMap) };
    if (m.dropped_attributes_count === 0 || m.dropped_attributes_count === 0n) {
      delete m.dropped_attributes_count;
    }
    out[k] = m;
  }
  return norm(out) as RecordMap;
}

for (const [name, c] of Object.entries(cases)) {
  Deno.test(`Fluent Bit log vector ${name}`, () => {
    let records: LogRecord[];
    try {
      records = decodeLogs(exactJsonBytes(c.input), "json", { now });
    } catch (e) {
      assert(e instanceof OtlpDecodeError, `unexpected ${e}`);
      assert(c.expected_error !== undefined, `rejected: ${e.message}`);
      return;
    }
    const problems = validateLogs(records);
    if (c.expected_error !== undefined) {
      if (name in ACCEPTED) assertEquals([records, problems], [[], []], ACCEPTED[name]);
      else assert(problems.length > 0, `${name}: expected ${c.expected_error.code}`);
      return;
    }
    assertEquals(problems, []);
    const e = c.expected!;
    if (e.empty_payload) return assertEquals(records, []);
    const diff = DIFFERENT[name];
    if (e.groups) {
      const starts = records.filter((r) => r.time.sec === -1);
      assertEquals(starts.length, e.groups.length);
      let at = 0;
      for (const g of e.groups) {
        const start = records[at]!;
        assertEquals(start.metadata, g.metadata);
        assertEquals(ourGroupBody(start), theirGroupBody(g.body));
        const recs = records.slice(at + 1, at + 1 + g.records.length);
        assertEquals(recs.map(ourMetadata), g.records.map((r) => norm(r.metadata)));
        assertEquals(recs.map((r) => r.body), g.records.map((r) => r.body));
        at += g.records.length + 2;
        assertEquals(records[at - 1]!.time.sec, -2);
      }
      return;
    }
    const [start, first] = records;
    assert(start !== undefined && first !== undefined);
    assertEquals(start.metadata, e.group_metadata);
    const theirs = theirGroupBody(e.group_body!);
    if (diff?.scopeAttributes) (theirs.scope as RecordMap).attributes = diff.scopeAttributes;
    assertEquals(ourGroupBody(start), theirs);
    assertEquals(ourMetadata(first), norm(e.log_metadata));
    assertEquals(first.body, diff?.body ?? e.log_body);
  });
}

Deno.test("Fluent Bit log vectors: every deliberate difference names a real case", () => {
  for (const name of [...Object.keys(ACCEPTED), ...Object.keys(DIFFERENT)]) {
    assert(name in cases, name);
  }
  assertEquals(Object.keys(cases).length, 61);
});
