import type { RecordMap } from "../../../src/event/log_record.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../../../src/testing/assert.ts";
import { bodiesOf, filterProcess, logChunk } from "../../../src/testing/filter_context.ts";
import { parseCondition } from "./conditions.ts";
import { plugin } from "./mod.ts";

const body: RecordMap = {
  log: "GET /health 200",
  status: 200,
  ok: true,
  none: null,
  "Mem.used": 841388,
  kubernetes: { labels: { app: "web", tier: "front" } },
  http_code: "500",
  http_path: "/api",
};

/** The condition's verdict on `on` (the shared `body` by default). */
function holds(condition: string, on: RecordMap = body): boolean {
  return parseCondition(condition)(on);
}

Deno.test("key_exists and key_does_not_exist use the record accessor", () => {
  assert(holds("Key_exists log"));
  assert(holds("key_exists none"));
  assert(holds("KEY_EXISTS Mem.used"));
  assert(holds("key_exists $kubernetes['labels']['app']"));
  assert(!holds("key_exists $kubernetes['labels']['nope']"));
  assert(!holds("key_exists missing"));
  assert(holds("key_does_not_exist missing"));
  assert(holds("Key_does_not_exist $kubernetes['annotations']"));
  assert(!holds("key_does_not_exist log"));
});

Deno.test("a_key_matches and no_key_matches test top-level key names", () => {
  assert(holds("a_key_matches ^http_"));
  assert(holds("A_key_matches \\.used$"));
  assert(!holds("a_key_matches ^zzz"));
  assert(holds("no_key_matches ^zzz"));
  assert(!holds("no_key_matches ^kube"));
  assert(!holds("a_key_matches ^app$"), "nested keys are not top-level keys");
});

Deno.test("key_value_equals compares the value's text", () => {
  assert(holds("key_value_equals http_code 500"));
  assert(holds("key_value_equals status 200"));
  assert(holds("key_value_equals ok true"));
  assert(holds("key_value_equals $kubernetes['labels']['app'] web"));
  assert(holds(`key_value_equals log "GET /health 200"`));
  assert(holds("key_value_equals log GET /health 200"));
  assert(!holds("key_value_equals http_code 50"));
  assert(!holds("key_value_equals missing x"));
  assert(!holds("key_value_equals none null"));
});

Deno.test("key_value_does_not_equal needs the key to exist", () => {
  assert(holds("key_value_does_not_equal http_code 404"));
  assert(!holds("key_value_does_not_equal http_code 500"));
  assert(!holds("key_value_does_not_equal missing 500"));
  assert(holds("key_value_does_not_equal none x"));
});

Deno.test("key_value_matches and key_value_does_not_match search the value's text", () => {
  assert(holds("key_value_matches log ^GET"));
  assert(holds("key_value_matches status ^2\\d\\d$"));
  assert(holds("key_value_matches $kubernetes['labels']['tier'] fro"));
  assert(!holds("key_value_matches log ^POST"));
  assert(!holds("key_value_matches missing ."));
  assert(!holds("key_value_matches none ."));
  assert(holds("key_value_does_not_match log ^POST"));
  assert(!holds("key_value_does_not_match log health"));
  assert(!holds("key_value_does_not_match missing x"));
});

Deno.test("matching_keys_have_matching_values needs every matching key's value to match", () => {
  assert(holds("matching_keys_have_matching_values ^http_ ^(500|/api)$"));
  assert(!holds("matching_keys_have_matching_values ^http_ ^5"));
  assert(holds("matching_keys_have_matching_values ^zzz ^x$"), "no matching key: true");
  assert(!holds("matching_keys_have_matching_values ^none$ ."), "null never matches");
});

Deno.test("matching_keys_do_not_have_matching_values needs every matching value not to match", () => {
  // As the docs state it: all keys matching KEY have values that do not match VALUE.
  assert(holds("matching_keys_do_not_have_matching_values ^http_ ^4"));
  assert(!holds("matching_keys_do_not_have_matching_values ^http_ ^5"));
  assert(!holds("matching_keys_do_not_have_matching_values ^http_ ^(500|/api)$"));
  assert(holds("matching_keys_do_not_have_matching_values ^zzz ."), "no matching key: true");
});

Deno.test("modify applies rules only when every condition holds", async () => {
  const process = await filterProcess(plugin, {
    condition: ["key_exists level", "key_value_equals level error"],
    add: ["alert yes"],
  });
  const records = [{ level: "error" }, { level: "info" }, { other: 1 }];
  const untouched = records[1];
  const out = bodiesOf(process(logChunk(records)));
  assertEquals(out, [{ level: "error", alert: "yes" }, { level: "info" }, { other: 1 }]);
  assert(out[1] === untouched);
});

Deno.test("parseCondition() rejects bad conditions, naming the value", () => {
  const bad: [string, string][] = [
    ["key_is_cool a", "unknown condition"],
    ["", "unknown condition"],
    ["key_exists", "expected key_exists KEY"],
    ["key_exists a b", "expected key_exists KEY"],
    ["key_value_equals a", "expected key_value_equals KEY VALUE"],
    ["a_key_matches (", "Cannot compile regex"],
    ["key_value_matches a [z-a]", "Cannot compile regex"],
    ["key_exists $a[", "record accessor"],
    [`key_value_equals a "open`, "unterminated quote"],
  ];
  for (const [value, detail] of bad) {
    const e = assertThrows(() => parseCondition(value), SyntaxError, detail);
    assert(e.message.includes(`"condition" value ${JSON.stringify(value)}`), e.message);
  }
});

Deno.test("modify create() throws SyntaxError naming the key and value of a bad rule", async () => {
  const bad: [string, string, string][] = [
    ["rename", "onlyonekey", "expected KEY RENAMED_KEY"],
    ["hard_rename", "a", "expected KEY RENAMED_KEY"],
    ["copy", "a", "expected KEY COPIED_KEY"],
    ["hard_copy", "", "expected KEY COPIED_KEY"],
    ["set", "k", "expected KEY VALUE"],
    ["add", "  ", "expected KEY VALUE"],
    ["remove", "a b", "expected KEY"],
    ["remove_wildcard", "a b", "expected KEY"],
    ["move_to_start", "a b", "expected KEY"],
    ["move_to_end", "", "expected KEY"],
    ["remove_regex", "a(", "Cannot compile regex"],
    ["condition", "key_exists", "expected key_exists KEY"],
  ];
  for (const [key, value, detail] of bad) {
    const e = await assertRejects(() => filterProcess(plugin, { [key]: [value] }), SyntaxError);
    const named = `"${key}" value ${JSON.stringify(value)}`;
    assert(e.message.includes(named) && e.message.includes(detail), e.message);
  }
});
