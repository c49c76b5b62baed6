import { assertEquals, assertThrows } from "../testing/assert.ts";
import { decodeTraces, formatOfContentType, type OtlpFormat } from "./mod.ts";

Deno.test("formatOfContentType() maps OTLP content types to a format", () => {
  assertEquals(formatOfContentType("application/x-protobuf"), "protobuf");
  assertEquals(formatOfContentType("application/protobuf"), "protobuf");
  assertEquals(formatOfContentType("Application/JSON; charset=utf-8"), "json");
  assertEquals(formatOfContentType("application/grpc"), "protobuf");
  assertEquals(formatOfContentType("text/plain"), null);
});

Deno.test("decodeTraces() rejects an unknown format with a TypeError", () => {
  assertThrows(() => decodeTraces(new Uint8Array(0), "xml" as OtlpFormat), TypeError, '"xml"');
});
