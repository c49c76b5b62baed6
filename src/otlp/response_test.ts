import { assertEquals, assertThrows } from "../testing/assert.ts";
import { decodeExportResponse, encodeExportResponse, OtlpDecodeError } from "./mod.ts";
import type { ExportResponse } from "./mod.ts";

Deno.test("encodeExportResponse() and decodeExportResponse() round-trip in both formats", () => {
  const cases: ExportResponse[] = [
    { partialSuccess: null },
    { partialSuccess: { rejected: 0, errorMessage: "" } },
    { partialSuccess: { rejected: 12, errorMessage: "bad trace IDs" } },
  ];
  for (const signal of ["traces", "logs", "metrics"] as const) {
    for (const format of ["protobuf", "json"] as const) {
      for (const r of cases) {
        const body = encodeExportResponse(r, { signal, format });
        assertEquals(decodeExportResponse(body, { signal, format }), r, `${signal} ${format}`);
      }
    }
  }
});

Deno.test("encodeExportResponse() uses the signal's rejected_* field name in JSON", () => {
  const r = { partialSuccess: { rejected: 2, errorMessage: "why" } };
  const text = (s: "traces" | "logs" | "metrics") =>
    new TextDecoder().decode(encodeExportResponse(r, { signal: s, format: "json" }));
  assertEquals(text("traces"), '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"why"}}');
  assertEquals(JSON.parse(text("logs")).partialSuccess.rejectedLogRecords, "2");
  assertEquals(JSON.parse(text("metrics")).partialSuccess.rejectedDataPoints, "2");
  assertEquals(
    new TextDecoder().decode(
      encodeExportResponse({ partialSuccess: null }, { signal: "logs", format: "json" }),
    ),
    "{}",
  );
});

Deno.test("decodeExportResponse() reads empty bodies, snake_case and numbers", () => {
  assertEquals(decodeExportResponse(new Uint8Array(0), { signal: "traces", format: "json" }), {
    partialSuccess: null,
  });
  assertEquals(decodeExportResponse(new Uint8Array(0), { signal: "traces", format: "protobuf" }), {
    partialSuccess: null,
  });
  const snake = new TextEncoder().encode(
    '{"partial_success":{"rejected_log_records":5,"error_message":"x"}}',
  );
  assertEquals(decodeExportResponse(snake, { signal: "logs", format: "json" }), {
    partialSuccess: { rejected: 5, errorMessage: "x" },
  });
  assertThrows(
    () => decodeExportResponse(new TextEncoder().encode("[1]"), { signal: "logs", format: "json" }),
    OtlpDecodeError,
  );
});
