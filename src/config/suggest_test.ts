import { assertEquals } from "../testing/assert.ts";
import { closest, didYouMean, editDistance } from "./suggest.ts";

Deno.test("editDistance() counts edits and adjacent swaps as one, ignoring case", () => {
  assertEquals(editDistance("rate", "rate"), 0);
  assertEquals(editDistance("rat", "rate"), 1);
  assertEquals(editDistance("rtae", "rate"), 1);
  assertEquals(editDistance("RATE", "rate"), 0);
  assertEquals(editDistance("", "abc"), 3);
  assertEquals(editDistance("kitten", "sitting"), 3);
});

Deno.test("closest() returns a near miss and nothing for a far word", () => {
  assertEquals(closest("ratee", ["rate", "tag", "alias"]), "rate");
  assertEquals(closest("storage_type", ["storage.type", "tag"]), "storage.type");
  assertEquals(closest("read_from_haed", ["read_from_head", "path"]), "read_from_head");
  assertEquals(closest("banana", ["rate", "tag"]), undefined);
  assertEquals(closest("x", []), undefined);
});

Deno.test("didYouMean() formats the hint", () => {
  assertEquals(didYouMean("tial", ["tail", "dummy"]), 'did you mean "tail"?');
  assertEquals(didYouMean("zzzzzz", ["tail"]), undefined);
});
