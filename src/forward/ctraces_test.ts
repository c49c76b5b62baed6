import { assertEquals, assertThrows } from "../testing/assert.ts";
import { hexSpan } from "../testing/spans.ts";
import { captured, LIMITS } from "./_testing.ts";
import { decodeCtraces, encodeCtraces } from "./ctraces.ts";
import { decodeForwardFrame } from "./decode.ts";
import { ForwardError } from "./errors.ts";

Deno.test("decodeCtraces() reads Fluent Bit's event_type traces with resource, scope and events", () => {
  const spans = decodeForwardFrame(captured("traces"), LIMITS).spans;
  assertEquals(spans.length >= 2, true);
  const main = spans.find((s) => s.name === "main")!;
  assertEquals(main.resource.attributes["service.name"], "Fluent Bit Test Service");
  assertEquals(main.scope.name, "ctrace");
  assertEquals(main.traceId.length, 16);
  assertEquals(main.spanId.length, 8);
  assertEquals(main.attributes.year, 2022);
  assertEquals(main.events[0]!.name, "connect to remote server");
  assertEquals(spans.every((s) => s.resource === main.resource), true); // shared by reference
});

Deno.test("encodeCtraces() round-trips spans, hex IDs and attribute types", () => {
  const span = hexSpan("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", {
    attributes: { s: "x", i: 7, f: 1.5, b: true, a: [1, "two"], m: { k: "v" } },
  });
  const [back] = decodeCtraces(encodeCtraces([span]));
  assertEquals(back!.traceId, span.traceId);
  assertEquals(back!.spanId, span.spanId);
  assertEquals(back!.attributes, span.attributes);
  assertEquals(back!.name, span.name);
});

Deno.test("decodeCtraces() refuses bad IDs", () => {
  const bad = encodeCtraces([hexSpan("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174")]);
  const text = new TextDecoder().decode(bad).replace("eee19b7ec3c1b174", "zzzzzzzzzzzzzzzz");
  const e = assertThrows(() => decodeCtraces(new TextEncoder().encode(text)), ForwardError);
  assertEquals((e as ForwardError).reason, "bad_payload");
});
