import { assert, assertEquals, assertThrows } from "../../../../src/testing/assert.ts";
import { emptyResource, type Span } from "../../../../src/event/span.ts";
import { numberedTraceId as traceId, timedSpan as span } from "../../../../src/testing/spans.ts";
import { decide, parseConditions } from "./mod.ts";

const id = traceId(1);

function keeps(conditions: unknown[], spans: Span[]): boolean {
  return decide(parseConditions(conditions), { spans });
}

Deno.test("latency matches a span at or above threshold_ms_high and not a faster one", () => {
  const c = [{ type: "latency", threshold_ms_high: 200 }];
  assert(keeps(c, [span({ traceId: id, durationMs: 5 }), span({ traceId: id, durationMs: 200 })]));
  assert(!keeps(c, [span({ traceId: id, durationMs: 199.9 })]), "199.9 ms truncates to 199");
});

Deno.test("latency matches a span at or below threshold_ms_low; zero thresholds are unset", () => {
  const c = [{ type: "latency", threshold_ms_low: 5 }];
  assert(keeps(c, [span({ traceId: id, durationMs: 5 })]));
  assert(!keeps(c, [span({ traceId: id, durationMs: 6 })]));
  assertThrows(() => parseConditions([{ type: "latency" }]), RangeError, "threshold_ms_low");
});

Deno.test("latency never matches a span that ends before it starts", () => {
  const s = span({ traceId: id });
  s.endTimeUnixNano = s.startTimeUnixNano - 1n;
  assert(!keeps([{ type: "latency", threshold_ms_low: 1000 }], [s]));
});

Deno.test("latency scope trace measures earliest start to latest end across spans", () => {
  const spans = [
    span({ traceId: id, startMs: 0, durationMs: 50 }),
    span({ traceId: id, startMs: 150, durationMs: 50 }),
  ];
  assert(!keeps([{ type: "latency", threshold_ms_high: 200 }], spans), "no span is 200 ms");
  assert(keeps([{ type: "latency", threshold_ms_high: 200, scope: "trace" }], spans));
  assert(!keeps([{ type: "latency", threshold_ms_high: 201, scope: "trace" }], spans));
});

Deno.test("latency scope trace leaves out spans with zero times", () => {
  const zero = span({ traceId: id });
  zero.startTimeUnixNano = 0n;
  const spans = [zero, span({ traceId: id, durationMs: 10 })];
  assert(!keeps([{ type: "latency", threshold_ms_high: 200, scope: "trace" }], spans));
});

Deno.test("span_count matches min..max spans inclusive", () => {
  const c = [{ type: "span_count", min_spans: 2, max_spans: 3 }];
  const s = () => span({ traceId: id });
  assert(!keeps(c, [s()]));
  assert(keeps(c, [s(), s()]));
  assert(keeps(c, [s(), s(), s()]));
  assert(!keeps(c, [s(), s(), s(), s()]));
  assertThrows(
    () => parseConditions([{ type: "span_count", min_spans: 3 }]),
    RangeError,
    "max_spans",
  );
  assertThrows(
    () => parseConditions([{ type: "span_count", min_spans: 3, max_spans: 1 }]),
    RangeError,
    "at most",
  );
});

Deno.test("status_code matches listed codes case-insensitively", () => {
  const c = [{ type: "status_code", status_codes: ["error", "Unset"] }];
  assert(keeps(c, [span({ traceId: id, status: 2 })]));
  assert(keeps(c, [span({ traceId: id, status: 0 })]));
  assert(!keeps(c, [span({ traceId: id, status: 1 })]));
  const listed = [{ type: "status_code", status_codes: "ERROR, UNSET" }];
  assert(keeps(listed, [span({ traceId: id, status: 0 })]), "a comma list in one string");
  assertThrows(
    () => parseConditions([{ type: "status_code", status_codes: ["EROR"] }]),
    RangeError,
    'did you mean "ERROR"?',
  );
});

Deno.test("status_code treats a span with no status object as UNSET", () => {
  const s = span({ traceId: id }) as Partial<Span>;
  delete s.status;
  assert(keeps([{ type: "status_code", status_codes: ["UNSET"] }], [s as Span]));
  assert(!keeps([{ type: "status_code", status_codes: ["ERROR"] }], [s as Span]));
});

Deno.test("string_attribute strict matches an exact string in span or resource attributes", () => {
  const c = [{ type: "string_attribute", key: "http.method", values: ["GET"] }];
  assert(keeps(c, [span({ traceId: id, attributes: { "http.method": "GET" } })]));
  const resource = { ...emptyResource(), attributes: { "http.method": "GET" } };
  assert(keeps(c, [span({ traceId: id, resource })]));
  assert(!keeps(c, [span({ traceId: id, attributes: { "http.method": "get" } })]));
  assert(!keeps(c, [span({ traceId: id, attributes: { "http.method": 1 } })]));
});

Deno.test("string_attribute exists matches a string-valued key only", () => {
  const c = [{ type: "string_attribute", match_type: "exists", key: "service.name" }];
  assert(keeps(c, [span({ traceId: id, attributes: { "service.name": "" } })]));
  assert(!keeps(c, [span({ traceId: id, attributes: { "service.name": 3 } })]));
  assert(!keeps(c, [span({ traceId: id })]));
});

Deno.test("string_attribute regex works, unanchored, Onigmo syntax (the docs' patterns)", () => {
  const c = [
    {
      type: "string_attribute",
      match_type: "regex",
      key: "http.url",
      values: ["^https://api\\..*", ".*\\/health$"],
    },
  ];
  assert(
    keeps(c, [span({ traceId: id, attributes: { "http.url": "https://api.example.com/x" } })]),
  );
  assert(keeps(c, [span({ traceId: id, attributes: { "http.url": "http://x/health" } })]));
  assert(!keeps(c, [span({ traceId: id, attributes: { "http.url": "http://x/healthz" } })]));
  const e = [{
    type: "string_attribute",
    match_type: "regex",
    key: "error.message",
    values: ["connection.*failed"],
  }];
  assert(
    keeps(e, [span({ traceId: id, attributes: { "error.message": "db connection has failed" } })]),
  );
  assertThrows(
    () =>
      parseConditions([{ type: "string_attribute", match_type: "regex", key: "k", values: ["("] }]),
    RangeError,
    "Cannot compile regex",
  );
});

Deno.test("numeric_attribute matches min..max, ints, doubles and bigints; strings do not", () => {
  const c = [{
    type: "numeric_attribute",
    key: "http.status_code",
    min_value: 400,
    max_value: 504,
  }];
  const with_ = (v: unknown) =>
    span({ traceId: id, attributes: { "http.status_code": v as number } });
  assert(keeps(c, [with_(400)]));
  assert(keeps(c, [with_(504)]));
  assert(keeps(c, [with_(450.5)]));
  assert(keeps(c, [with_(500n)]));
  assert(!keeps(c, [with_(505)]));
  assert(!keeps(c, [with_(399)]));
  assert(!keeps(c, [with_("500")]));
  assert(!keeps(c, [with_(NaN)]));
});

Deno.test("numeric_attribute exists needs no bounds; strict needs both", () => {
  const c = [{ type: "numeric_attribute", key: "n", match_type: "exists" }];
  assert(keeps(c, [span({ traceId: id, attributes: { n: 0 } })]));
  assert(!keeps(c, [span({ traceId: id, attributes: { n: true } })]));
  assertThrows(
    () => parseConditions([{ type: "numeric_attribute", key: "n", min_value: 1 }]),
    RangeError,
    "max_value",
  );
});

Deno.test("boolean_attribute matches an equal boolean only", () => {
  const c = [{ type: "boolean_attribute", key: "user.logged", value: false }];
  assert(keeps(c, [span({ traceId: id, attributes: { "user.logged": false } })]));
  assert(!keeps(c, [span({ traceId: id, attributes: { "user.logged": true } })]));
  assert(!keeps(c, [span({ traceId: id, attributes: { "user.logged": "false" } })]));
  assert(
    keeps([{ type: "boolean_attribute", key: "b", value: "on" }], [
      span({ traceId: id, attributes: { b: true } }),
    ]),
  );
});

Deno.test("trace_state matches an exact k=v entry, entries split on commas untrimmed", () => {
  const c = [{ type: "trace_state", values: ["debug=false", "priority=high"] }];
  assert(keeps(c, [span({ traceId: id, traceState: "vendor=x,priority=high" })]));
  assert(keeps(c, [span({ traceId: id, traceState: "debug=false" })]));
  assert(!keeps(c, [span({ traceId: id, traceState: "vendor=x, priority=high" })]), "not trimmed");
  assert(!keeps(c, [span({ traceId: id, traceState: "" })]));
});

Deno.test("conditions combine as OR across conditions and spans; none keeps everything", () => {
  const c = [
    { type: "status_code", status_codes: ["ERROR"] },
    { type: "latency", threshold_ms_high: 100 },
  ];
  assert(keeps(c, [span({ traceId: id }), span({ traceId: id, status: 2 })]));
  assert(keeps(c, [span({ traceId: id, durationMs: 100 })]));
  assert(!keeps(c, [span({ traceId: id }), span({ traceId: id })]));
  assert(keeps([], [span({ traceId: id })]));
  assertEquals(parseConditions(null), { keep: [], drop: [] });
});

Deno.test("and needs every child to match the trace, not the same span", () => {
  const c = [{
    type: "and",
    conditions: [
      { type: "status_code", status_codes: ["ERROR"] },
      { type: "latency", threshold_ms_high: 100 },
    ],
  }];
  assert(keeps(c, [span({ traceId: id, status: 2 }), span({ traceId: id, durationMs: 150 })]));
  assert(!keeps(c, [span({ traceId: id, status: 2 })]));
});

Deno.test("not inverts its condition", () => {
  const c = [{ type: "not", condition: { type: "status_code", status_codes: ["OK"] } }];
  assert(keeps(c, [span({ traceId: id, status: 2 })]));
  assert(!keeps(c, [span({ traceId: id, status: 1 }), span({ traceId: id, status: 2 })]));
  assertThrows(() => parseConditions([{ type: "not" }]), RangeError, '"condition" key is required');
});

Deno.test("drop overrides any keep; with only drops, other traces are kept", () => {
  const drop = {
    type: "drop",
    conditions: [{ type: "string_attribute", key: "http.target", values: ["/health"] }],
  };
  const error = { type: "status_code", status_codes: ["ERROR"] };
  const health = span({ traceId: id, status: 2, attributes: { "http.target": "/health" } });
  assert(!keeps([error, drop], [health]));
  assert(keeps([error, drop], [span({ traceId: id, status: 2 })]));
  assert(!keeps([drop], [health]));
  assert(keeps([drop], [span({ traceId: id })]));
  assertThrows(
    () => parseConditions([{ type: "and", conditions: [drop] }]),
    RangeError,
    "only be listed at the top level",
  );
});

Deno.test("attribute conditions treat null or missing attribute maps as empty", () => {
  const s = span({ traceId: id }) as unknown as Record<string, unknown>;
  s.attributes = null;
  s.resource = undefined;
  const c = [{ type: "string_attribute", key: "k", match_type: "exists" }];
  assert(!keeps(c, [s as unknown as Span]));
});

Deno.test("parseConditions names the faulty condition, rejects unknown keys and types", () => {
  assertThrows(
    () =>
      parseConditions([{ type: "status_code", status_codes: ["OK"] }, {
        type: "latency",
        treshold_ms_high: 1,
      }]),
    RangeError,
    'condition 2 (latency): unknown key "treshold_ms_high": did you mean "threshold_ms_high"?',
  );
  assertThrows(() => parseConditions([{ type: "latancy" }]), RangeError, 'did you mean "latency"?');
  assertThrows(() => parseConditions([{ key: "x" }]), TypeError, '"type" key');
  assertThrows(() => parseConditions({ type: "latency" }), TypeError, "expected a list");
});

Deno.test("a condition with an empty list is accepted, as Fluent Bit does, and never matches", () => {
  for (
    const c of [
      { type: "string_attribute", key: "k", values: [] },
      { type: "trace_state", values: [] },
      { type: "status_code", status_codes: [] },
    ]
  ) {
    const set = parseConditions([c]);
    assertEquals(set.keep.length, 1);
    assert(set.keep[0]?.never?.includes("never matches"), set.keep[0]?.never);
    assert(!decide(set, { spans: [span({ traceId: id })] }), c.type);
  }
});
