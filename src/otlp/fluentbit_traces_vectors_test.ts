/**
 * Fluent Bit's OTLP/JSON trace test vectors (tests/internal/data/opentelemetry/traces.json).
 * A case with `expected_error` must fail: `decodeTraces()` throws, or `validateSpans()`
 * reports a problem (the check the opentelemetry input applies). Where the OTLP spec
 * allows what Fluent Bit rejects, sluice accepts it on purpose; each such case is listed
 * in ACCEPTED with the reason, and the test checks that it really is accepted.
 */
import { assert, assertEquals } from "../testing/assert.ts";
import { exactJsonBytes, testdata } from "./_test_util.ts";
import { parseJson } from "./json_read.ts";
import { decodeTraces, OtlpDecodeError, validateSpans } from "./mod.ts";

interface Case {
  input: unknown;
  expected_error?: { code: string };
}

const ACCEPTED: Record<string, string> = {
  resourceSpans_missing:
    "proto3 JSON: an absent repeated field is empty, so `{}` is an empty request (OTel Collector accepts it)",
  scopeSpans_missing: "proto3 JSON: a ResourceSpans without scopeSpans carries no spans",
  spans_missing: "proto3 JSON: a ScopeSpans without spans carries no spans",
  event_missing_name:
    "trace.proto: the event name is only 'semantically required'; an empty name is kept",
};

const cases = parseJson(testdata("fb-tests-internal-opentelemetry__traces.json")) as Record<
  string,
  Case
>;

for (const [name, c] of Object.entries(cases)) {
  Deno.test(`Fluent Bit trace vector ${name}`, () => {
    let problems: string[];
    try {
      problems = validateSpans(decodeTraces(exactJsonBytes(c.input), "json"));
    } catch (e) {
      assert(e instanceof OtlpDecodeError, `unexpected ${e}`);
      assert(c.expected_error !== undefined && !(name in ACCEPTED), `rejected: ${e.message}`);
      return;
    }
    if (c.expected_error === undefined || name in ACCEPTED) {
      assertEquals(problems, [], name);
    } else {
      assert(problems.length > 0, `${name}: expected ${c.expected_error.code}`);
    }
  });
}

Deno.test("Fluent Bit trace vectors: integer status codes are accepted (spec), unlike Fluent Bit", () => {
  // Fluent Bit v5.1.1 answers 400 to `"code": 2` (reference §7.1, fixed upstream by #12428).
  const body = exactJsonBytes({
    resourceSpans: [{
      scopeSpans: [{
        spans: [{
          name: "span",
          traceId: "00000000000000000000000000000001",
          spanId: "0000000000000001",
          status: { code: 2 },
        }],
      }],
    }],
  });
  assertEquals(decodeTraces(body, "json")[0]!.status, { code: 2, message: "" });
  assertEquals(Object.keys(cases).length, 38);
});
