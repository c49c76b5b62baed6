import { assertEquals } from "../../../src/testing/assert.ts";
import { labelValue, orderedLabels, parseAddLabel, parseLabelField } from "./labels.ts";

Deno.test("labelValue: ints in decimal, floats %f, strings cut to 251 bytes on a character boundary", () => {
  assertEquals([labelValue(3), labelValue(2.5), labelValue(10n), labelValue(false)], [
    "3",
    "2.500000",
    "10",
    "",
  ]);
  assertEquals(labelValue("x".repeat(300)).length, 251);
  const cut = labelValue("é".repeat(200)); // 2 bytes each
  assertEquals(new TextEncoder().encode(cut).length, 250);
});

Deno.test("orderedLabels follows the source order across label_field and add_label", () => {
  const fields = [parseLabelField("status")];
  const added = [parseAddLabel("path $path"), parseAddLabel("host $h")];
  const order = [["add_label", "path $path"], ["label_field", "status"], ["add_label", "host $h"]];
  assertEquals(orderedLabels(fields, added, order as never).map((l) => l.name), [
    "path",
    "status",
    "host",
  ]);
  assertEquals(orderedLabels(fields, added, undefined).map((l) => l.name), [
    "status",
    "path",
    "host",
  ]);
});
