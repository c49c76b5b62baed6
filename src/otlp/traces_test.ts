import { emptyResource, emptyScope } from "../event/span.ts";
import { assert, assertEquals, assertStringIncludes, assertThrows } from "../testing/assert.ts";
import { sampleSpans } from "./_samples.ts";
import { bytes, jsonBytes, testdata } from "./_test_util.ts";
import { decodeTraces, encodeTraces, hexId, OtlpDecodeError, validateSpans } from "./mod.ts";

Deno.test("decodeTraces() reads the opentelemetry-proto example trace field by field", () => {
  const spans = decodeTraces(testdata("otelproto-examples-trace.json"), "json");
  assertEquals(spans.length, 1);
  const s = spans[0]!;
  assertEquals(s.resource, {
    attributes: { "service.name": "my.service" },
    droppedAttributesCount: 0,
    schemaUrl: "",
  });
  assertEquals(s.scope, {
    name: "my.library",
    version: "1.0.0",
    attributes: { "my.scope.attribute": "some scope attribute" },
    droppedAttributesCount: 0,
    schemaUrl: "",
  });
  assertEquals(s.traceId, bytes("5b8efff798038103d269b633813fc60c"));
  assertEquals(s.spanId, bytes("eee19b7ec3c1b174"));
  assertEquals(s.parentSpanId, bytes("eee19b7ec3c1b173"));
  assertEquals(s.name, "I'm a server span");
  assertEquals(s.kind, 2);
  assertEquals(s.startTimeUnixNano, 1544712660000000000n);
  assertEquals(s.endTimeUnixNano, 1544712661000000000n);
  assertEquals(s.attributes, { "my.span.attr": "some value" });
  assertEquals(s.status, { code: 0, message: "" });
  assertEquals([s.events, s.links, s.traceState, s.flags], [[], [], "", 0]);
});

Deno.test("decodeTraces() gives defined empty values for the pdatatest fixture", () => {
  const spans = decodeTraces(
    testdata("otelcontrib-pdatatest-ptracetest-equal__expected.json"),
    "json",
  );
  assertEquals(spans.length, 2);
  const [a, b] = spans;
  assert(a && b);
  // A start time above 2^63 stays exact as a bigint.
  assertEquals(a.startTimeUnixNano, 11651379494838206464n);
  assertEquals(a.endTimeUnixNano, 11651379494838206464n);
  assertEquals(a.resource.schemaUrl, "https://opentelemetry.io/schemas/1.6.1");
  assertEquals(a.scope.schemaUrl, "https://opentelemetry.io/schemas/1.6.1");
  // "attributes": null is an empty map; "droppedAttributeCount" (a typo) is ignored.
  assertEquals(a.events, [
    { timeUnixNano: 0n, name: "Sub span event", attributes: {}, droppedAttributesCount: 0 },
  ]);
  assertEquals(a.links.length, 1);
  assertEquals(hexId(a.links[0]!.traceId), "8c8b1765a7b0acf0b66aa4623fcb7bd5");
  assertEquals(a.links[0]!.attributes, {
    testKey1: "teststringvalue1",
    testKey2: "teststringvalue2",
  });
  // Empty ID strings are zero-length IDs, "status": {} is unset, an absent scope schema is "".
  assertEquals(b.traceId, new Uint8Array(0));
  assertEquals(b.spanId, new Uint8Array(0));
  assertEquals(b.parentSpanId, new Uint8Array(0));
  assertEquals(b.status, { code: 0, message: "" });
  assertEquals(b.name, "");
  assertEquals(b.scope.schemaUrl, "");
  assertEquals(b.resource.attributes, {
    testKey3: "teststringvalue3",
    testKey4: "teststringvalue4",
  });
  // Decoding keeps the empty IDs; validation names them.
  assertEquals(validateSpans(spans), [
    "resourceSpans[1].scopeSpans[0].spans[0].traceId: missing trace ID, expected 16 bytes",
    "resourceSpans[1].scopeSpans[0].spans[0].spanId: missing span ID, expected 8 bytes",
  ]);
});

Deno.test("decodeTraces() shares one Resource and Scope object per ResourceSpans/ScopeSpans", () => {
  const body = {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: "a" } }] },
      scopeSpans: [
        { scope: { name: "s1" }, spans: [{ name: "x" }, { name: "y" }] },
        { scope: { name: "s2" }, spans: [{ name: "z" }] },
      ],
    }, { scopeSpans: [{ spans: [{ name: "w" }] }] }],
  };
  const [x, y, z, w] = decodeTraces(jsonBytes(body), "json");
  assert(x && y && z && w);
  assert(x.resource === y.resource && y.resource === z.resource);
  assert(x.scope === y.scope && y.scope !== z.scope);
  assertEquals(w.resource, emptyResource());
  assertEquals(w.scope, emptyScope());
  assert(w.resource !== x.resource);
});

Deno.test("decodeTraces() accepts Fluent Bit's snake_case keys and lower-case hex", () => {
  const [s] = decodeTraces(testdata("fb-it-in_opentelemetry__test_traces_001.in.json"), "json");
  assert(s);
  assertEquals(s.resource.attributes, { "service.name": "checkout" });
  assertEquals(s.scope.name, "trace-scope");
  assertEquals(hexId(s.traceId), "5b8efff798038103d269b633813fc60c");
  assertEquals(hexId(s.spanId), "eee19b7ec3c1b174");
  assertEquals(s.startTimeUnixNano, 1650917400000000000n);
  assertEquals(s.attributes, { "http.method": "GET" });
});

Deno.test("decodeTraces() accepts status codes and kinds as integers or names", () => {
  const spanWith = (extra: Record<string, unknown>) =>
    decodeTraces(jsonBytes({ resourceSpans: [{ scopeSpans: [{ spans: [extra] }] }] }), "json")[0]!;
  assertEquals(spanWith({ status: { code: 2, message: "boom" } }).status, {
    code: 2,
    message: "boom",
  });
  assertEquals(spanWith({ status: { code: "STATUS_CODE_ERROR" } }).status.code, 2);
  assertEquals(spanWith({ status: { code: "ERROR" } }).status.code, 2);
  assertEquals(spanWith({ status: { code: "OK" } }).status.code, 1);
  assertEquals(spanWith({ kind: "SPAN_KIND_CLIENT" }).kind, 3);
  // A JSON number beyond 2^53 keeps every digit.
  const exact = new TextEncoder().encode(
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":1700000000000000001}]}]}]}',
  );
  assertEquals(decodeTraces(exact, "json")[0]!.startTimeUnixNano, 1700000000000000001n);
  assertThrows(() => spanWith({ status: { code: 7 } }), OtlpDecodeError, "got 7");
  assertThrows(() => spanWith({ status: { code: "BAD" } }), OtlpDecodeError, '"BAD"');
});

Deno.test("decodeTraces() names the place of a malformed field", () => {
  const body = {
    resourceSpans: [{
      scopeSpans: [{ spans: [] }, {
        spans: [{}, {}, {}, { traceId: "5b8efff798038103d269b633813fc60" }],
      }],
    }],
  };
  const err = assertThrows(() => decodeTraces(jsonBytes(body), "json"), OtlpDecodeError);
  assertEquals(
    err.message,
    "resourceSpans[0].scopeSpans[1].spans[3].traceId: expected an even number of hex characters, got 31",
  );
  assert(err instanceof SyntaxError);
  const bad = assertThrows(
    () => decodeTraces(jsonBytes({ resourceSpans: [{ scopeSpans: {} }] }), "json"),
    OtlpDecodeError,
  );
  assertEquals(bad.message, "resourceSpans[0].scopeSpans: expected an array, got object");
  assertThrows(() => decodeTraces(new TextEncoder().encode("{"), "json"), OtlpDecodeError, "JSON");
});

Deno.test("decodeTraces() names where a truncated protobuf request breaks", () => {
  const body = encodeTraces(sampleSpans(), "protobuf");
  const err = assertThrows(
    () => decodeTraces(body.subarray(0, body.length - 5), "protobuf"),
    OtlpDecodeError,
  );
  assertStringIncludes(err.message, "resourceSpans[1]");
  assertThrows(() => decodeTraces(new Uint8Array([0x0a, 0x05, 0x01]), "protobuf"), OtlpDecodeError);
});

Deno.test("decodeTraces() skips unknown protobuf fields", () => {
  const body = encodeTraces(sampleSpans(), "protobuf");
  // Field 99 (varint 7) and field 100 (length 2) before the request's own fields.
  const unknown = new Uint8Array([0x98, 0x06, 0x07, 0xa2, 0x06, 0x02, 0x41, 0x42]);
  const spliced = new Uint8Array(unknown.length + body.length);
  spliced.set(unknown);
  spliced.set(body, unknown.length);
  assertEquals(decodeTraces(spliced, "protobuf"), decodeTraces(body, "protobuf"));
});

Deno.test("encodeTraces() then decodeTraces() gives the same spans, protobuf and JSON", () => {
  const spans = sampleSpans();
  for (const format of ["protobuf", "json"] as const) {
    const back = decodeTraces(encodeTraces(spans, format), format);
    // Spans are regrouped by resource and scope: a, d (r1/s1), b (r1/s2), c (r2/s3).
    assertEquals(back, [spans[0], spans[3], spans[1], spans[2]], format);
    assert(back[0]!.resource === back[2]!.resource && back[0]!.scope === back[1]!.scope);
    assert(back[0]!.scope !== back[2]!.scope && back[3]!.resource !== back[0]!.resource);
  }
});

Deno.test("JSON and protobuf encodings of the same request decode to equal spans", () => {
  for (
    const name of [
      "otelproto-examples-trace.json",
      "otelcontrib-pdatatest-ptracetest-equal__expected.json",
    ]
  ) {
    const fromJson = decodeTraces(testdata(name), "json");
    const proto = encodeTraces(fromJson, "protobuf");
    assertEquals(decodeTraces(proto, "protobuf"), fromJson, name);
    const json = encodeTraces(decodeTraces(proto, "protobuf"), "json");
    assertEquals(decodeTraces(json, "json"), fromJson, name);
  }
});

Deno.test("encodeTraces() writes OTLP/JSON with hex IDs, integer enums and string int64", () => {
  const [a] = sampleSpans();
  assert(a);
  const text = new TextDecoder().decode(encodeTraces([a], "json"));
  const o = JSON.parse(text);
  const span = o.resourceSpans[0].scopeSpans[0].spans[0];
  assertEquals(span.traceId, "0102030405060708090a0b0c0d0e0f10");
  assertEquals(span.parentSpanId, "2122232425262728");
  assertEquals(span.kind, 2);
  assertEquals(span.status, { message: "failed", code: 2 });
  assertEquals(span.endTimeUnixNano, "18446744073709551615");
  const attrs = Object.fromEntries(
    span.attributes.map((kv: { key: string; value: unknown }) => [kv.key, kv.value]),
  );
  assertEquals(attrs.int, { intValue: "-42" });
  assertEquals(attrs.big, { intValue: "9007199254740993" });
  assertEquals(attrs.nan, { doubleValue: "NaN" });
  assertEquals(attrs.bytes, { bytesValue: "AP8=" });
  assertEquals(attrs.nil, {});
  assertEquals(o.resourceSpans[0].schemaUrl, "https://opentelemetry.io/schemas/1.21.0");
});
