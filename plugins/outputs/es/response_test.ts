import { assertEquals } from "../../../src/testing/assert.ts";
import { judgeBulkAnswer } from "./response.ts";

const item = (status: number, op = "create", error?: unknown) => ({ [op]: { status, error } });

Deno.test("judgeBulkAnswer(): errors false is delivered, also when cut short", () => {
  assertEquals(
    judgeBulkAnswer('{"took":1,"errors":false,"items":[]}', 0, "create").kind,
    "delivered",
  );
  assertEquals(
    judgeBulkAnswer('{"took":1,"errors":false,"items":[{"cre', 5, "create").kind,
    "delivered",
  );
  assertEquals(judgeBulkAnswer("", 1, "create").kind, "unreadable");
  assertEquals(judgeBulkAnswer('{"errors":true,"items":[{"crea', 1, "create").kind, "unreadable");
  assertEquals(judgeBulkAnswer("[]", 1, "create").kind, "unreadable");
});

Deno.test("judgeBulkAnswer(): Fluent Bit's reference cases, item by item", () => {
  // Fluent Bit: OK, and the second record is lost. Here: item 1 refused with the reason.
  const mixed = JSON.stringify({
    errors: true,
    items: [
      item(201),
      item(400, "create", {
        type: "mapper_parsing_exception",
        reason: "failed to parse field [n]",
        caused_by: { type: "illegal_argument_exception", reason: 'For input string: "x"' },
      }),
    ],
  });
  assertEquals(judgeBulkAnswer(mixed, 2, "create"), {
    kind: "items",
    retry: [],
    refused: [{
      item: 1,
      status: 400,
      reason: "mapper_parsing_exception: failed to parse field [n] " +
        '(caused by illegal_argument_exception: For input string: "x")',
    }],
    conflicts: 0,
  });
  // Fluent Bit: retry the whole chunk (forever with generate_id). Here: already there.
  const conflict = JSON.stringify({ errors: true, items: [item(409)] });
  assertEquals(judgeBulkAnswer(conflict, 1, "create").kind, "delivered");
  // A conflict on index/update is not a duplicate: retried.
  const updateConflict = JSON.stringify({ errors: true, items: [item(409, "update")] });
  assertEquals(judgeBulkAnswer(updateConflict, 1, "update"), {
    kind: "items",
    retry: [0],
    refused: [],
    conflicts: 0,
  });
});

Deno.test("judgeBulkAnswer(): 429 and 5xx retried, missing items retried", () => {
  const text = JSON.stringify({
    errors: true,
    items: [item(201), item(429), item(503), item(200, "index"), item(404)],
  });
  const v = judgeBulkAnswer(text, 6, "create");
  assertEquals(v.kind === "items" && [v.retry, v.refused.map((r) => r.item)], [[1, 2, 5], [4]]);
});
