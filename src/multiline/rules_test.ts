import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
import { multilineParserOptions } from "../config/common_options.ts";
import { defaultsOf } from "../config/options.ts";
import { jsonParsers, readClassicMultiline } from "./_testing.ts";
import { compileMultilineParser, compileRules, parseRule, ruleSpecsOf } from "./rules.ts";

const dir = new URL("../../testdata/multiline/", import.meta.url);

function values(extra: Record<string, unknown>) {
  return { ...defaultsOf(multilineParserOptions), name: "t", ...extra };
}

Deno.test("parseRule() splits the three quoted parts and keeps regex backslashes", () => {
  const r = parseRule(String.raw`"start_state"   "/(Dec \d+ \d+\:\d+\:\d+)(.*)/"  "cont"`);
  assertEquals(r, {
    state: "start_state",
    regex: String.raw`/(Dec \d+ \d+\:\d+\:\d+)(.*)/`,
    nextState: "cont",
  });
  assertEquals(parseRule(String.raw`"a" "/say \"hi\"/" "b"`).regex, '/say "hi"/');
  assertThrows(() => parseRule(`"start_state" "/x/"`), SyntaxError, "got 2 parts");
  assertThrows(() => parseRule(`"start_state" "/x/" "cont`), SyntaxError, "not closed");
});

Deno.test("compileMultilineParser() compiles the corpus parsers_multiline.conf rules", async () => {
  const text = await Deno.readTextFile(new URL("parsers_multiline.conf", dir));
  const [def] = readClassicMultiline(text);
  const p = compileMultilineParser(def!);
  assertEquals(p.name, "multiline-regex");
  assertEquals(p.flushTimeoutMs, 2000);
  assertEquals(p.rules.length, 2);
  assertEquals(p.startRules.length, 1);
  const [start, cont] = p.rules;
  assert(start !== undefined && cont !== undefined);
  assert(start.regex.test("[2021-03-04 12:00:00,123] ERROR boom"));
  assert(!start.regex.test("  continuation"));
  assert(start.continuations.length === 1 && start.continuations[0] === cont);
  assert(cont.continuations.length === 1 && cont.continuations[0] === cont);
  assert(cont.regex.test("java.lang.Exception: x"));
  assert(!cont.regex.test("[2021-03-04 12:00:01,000] INFO next"));
});

Deno.test("compileMultilineParser() resolves `parser` and keeps key_content", async () => {
  const text = await Deno.readTextFile(new URL("parsers_multiline_json.conf", dir));
  const [def] = readClassicMultiline(text);
  assert(def !== undefined);
  const p = compileMultilineParser(def, { parsers: jsonParsers });
  assertEquals(p.keyContent, "message");
  assertEquals(p.parser?.name, "json");
  assertThrows(() => compileMultilineParser(def), ReferenceError, 'undefined parser "json"');
});

Deno.test("ruleSpecsOf() reads YAML rules maps with any key case", () => {
  const specs = ruleSpecsOf(undefined, [
    { state: "start_state", regex: "/^\\S/", next_state: "cont" },
    { State: "cont", Regex: "/^\\s+at/", Next_State: "cont" },
  ]);
  assertEquals(specs.map((s) => s.nextState), ["cont", "cont"]);
  assertThrows(() => ruleSpecsOf(undefined, [{ state: "start_state" }]), SyntaxError, "next_state");
  assertThrows(() => ruleSpecsOf(undefined, "nope"), SyntaxError, "expected a list");
});

Deno.test("compileRules() requires start_state first and known next states", () => {
  assertThrows(
    () => compileRules([{ state: "cont", regex: "/x/", nextState: "cont" }]),
    SyntaxError,
    'rule 1 ("cont" -> "cont"): the first rule\'s state must be "start_state"',
  );
  assertThrows(
    () => compileRules([{ state: "start_state", regex: "/x/", nextState: "conti" }]),
    SyntaxError,
    'no rule has state "conti"',
  );
  assertThrows(
    () =>
      compileRules([
        { state: "start_state", regex: "/x/", nextState: "cont" },
        { state: "cont", regex: "/(unclosed/", nextState: "cont" },
      ]),
    SyntaxError,
    'rule 2 ("cont" -> "cont"): Cannot compile regex',
  );
  assertThrows(() => compileRules([]), SyntaxError, "no rules");
});

Deno.test("compileRules() marks rules whose next state starts a message as ending it", () => {
  const [start, body, last] = compileRules([
    { state: "start_state", regex: "/^BEGIN/", nextState: "body" },
    { state: "body", regex: "/^ /", nextState: "body" },
    { state: "body", regex: "/^END/", nextState: "start_state" },
  ]);
  assert(start !== undefined && last !== undefined);
  assertEquals(start.endsMessage, false);
  assert(start.continuations.length === 2);
  assert(start.continuations[0] === body && start.continuations[1] === last);
  assertEquals(last.endsMessage, true);
  assertEquals(last.continuations.length, 0);
});

Deno.test("compileMultilineParser() checks type and match_string", () => {
  assertThrows(
    () => compileMultilineParser(values({ type: "endswith" })),
    SyntaxError,
    "type endswith needs match_string",
  );
  const eq = compileMultilineParser(values({ type: "eq", match_string: "F" }));
  assertEquals(eq.type, "equal");
  assertThrows(() => compileMultilineParser(values({ type: "regex" })), SyntaxError, "no rules");
  assertThrows(
    () => compileMultilineParser(values({ flush_timeout: -1, type: "equal", match_string: "x" })),
    RangeError,
    "flush_timeout -1",
  );
});
