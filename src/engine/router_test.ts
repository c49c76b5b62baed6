import { assertEquals } from "../testing/assert.ts";
import { compileTagMatcher } from "./router.ts";

Deno.test("compileTagMatcher: * matches any run of characters, dots and nothing included", () => {
  const m = compileTagMatcher({ match: "app.*" });
  assertEquals(m("app.web"), true);
  assertEquals(m("app.web.1"), true);
  assertEquals(m("app."), true);
  assertEquals(m("app"), false);
  assertEquals(m("xapp.web"), false);
  assertEquals(compileTagMatcher({ match: "*" })("anything"), true);
  assertEquals(compileTagMatcher({ match: "a*b*c" })("a.x.b.y.c"), true);
  assertEquals(compileTagMatcher({ match: "a*b*c" })("a.x.c"), false);
  assertEquals(compileTagMatcher({ match: "*.log" })("x.log"), true);
  assertEquals(compileTagMatcher({ match: "a**b" })("ab"), true);
});

Deno.test("compileTagMatcher is case-sensitive and exact without a wildcard", () => {
  assertEquals(compileTagMatcher({ match: "App" })("app"), false);
  assertEquals(compileTagMatcher({ match: "app" })("app"), true);
});

Deno.test("compileTagMatcher: match_regex wins and is anchored at the start only", () => {
  const m = compileTagMatcher({ match: "nothing", matchRegex: "app\\.(web|db)" });
  assertEquals(m("app.web"), true);
  assertEquals(m("app.db.extra"), true);
  assertEquals(m("x.app.web"), false);
});

Deno.test("compileTagMatcher with neither match nor match_regex matches nothing", () => {
  assertEquals(compileTagMatcher({})("x"), false);
});
