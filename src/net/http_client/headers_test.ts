import { assertEquals, assertThrows } from "../../testing/assert.ts";
import { basicAuth, normalizePath, parseHeader, socketHost, urlHost } from "./headers.ts";
import { noProxyMatches, parseProxy } from "./proxy.ts";

Deno.test("parseHeader() reads `Name value` and `Name: value`; refuses a bare or bad name", () => {
  assertEquals(parseHeader("X-Team  core team"), ["X-Team", "core team"]);
  assertEquals(parseHeader("X-Env: prod"), ["X-Env", "prod"]);
  assertEquals(parseHeader("X-Y:z"), ["X-Y", "z"]);
  assertEquals(parseHeader("X-Empty:"), ["X-Empty", ""]);
  assertEquals(parseHeader("X-Scope-OrgID team a"), ["X-Scope-OrgID", "team a"]);
  assertThrows(() => parseHeader("NoValue"), SyntaxError, "header");
  assertThrows(() => parseHeader("   "), SyntaxError, "expected");
  assertThrows(() => parseHeader("Bad(name) v"), SyntaxError, "Name value");
  assertThrows(() => parseHeader("X-A a\r\nX-B: b"), SyntaxError, "line break");
});

Deno.test("basicAuth() encodes user and password as UTF-8", () => {
  assertEquals(basicAuth("ann", "secret"), `Basic ${btoa("ann:secret")}`);
  // "Jürgen:пароль🔑" as UTF-8 bytes, base64: raw btoa() would throw on it.
  assertEquals(basicAuth("Jürgen", "пароль🔑"), "Basic SsO8cmdlbjrQv9Cw0YDQvtC70Yzwn5SR");
});

Deno.test("urlHost() brackets IPv6 once; socketHost() strips them; normalizePath()", () => {
  assertEquals(urlHost("::1"), "[::1]");
  assertEquals(urlHost("[::1]"), "[::1]");
  assertEquals(urlHost("example.com"), "example.com");
  assertEquals(socketHost("[fe80::1]"), "fe80::1");
  assertEquals(normalizePath("v1"), "/v1");
  assertEquals(normalizePath("/v1"), "/v1");
});

Deno.test("parseProxy() and noProxyMatches() follow the usual HTTP_PROXY / NO_PROXY rules", () => {
  assertEquals(parseProxy("http://u%40x:p%3Aw@proxy.local:3128"), {
    host: "proxy.local",
    port: 3128,
    authorization: basicAuth("u@x", "p:w"),
    url: "http://proxy.local:3128",
  });
  assertEquals(parseProxy("proxy:8080").port, 8080);
  assertThrows(() => parseProxy("https://proxy:443"), RangeError, "only http://");
  assertEquals(noProxyMatches("*", "any.host", 80), true);
  assertEquals(noProxyMatches("localhost, .corp", "api.corp", 443), true);
  assertEquals(noProxyMatches("corp", "api.corp", 443), true);
  assertEquals(noProxyMatches("corp", "notcorp", 443), false);
  assertEquals(noProxyMatches("example.com:8080", "example.com", 80), false);
  assertEquals(noProxyMatches("example.com:8080", "example.com", 8080), true);
  assertEquals(noProxyMatches("10.0.0.1,::1", "::1", 80), true);
  assertEquals(noProxyMatches("", "x", 80), false);
});
