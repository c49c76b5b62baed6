import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { expandStar, tagMaker } from "./tag.ts";

Deno.test("expandStar puts the path in place of * as Fluent Bit does", () => {
  assertEquals(expandStar("*", "/var/log/app.log"), "var.log.app.log");
  assertEquals(
    expandStar("kube.*", "/var/log/containers/a_b.log"),
    "kube.var.log.containers.a_b.log",
  );
  assertEquals(expandStar("x.*.y", "/a/b"), "x.a.b.y");
  assertEquals(expandStar("app.*", "/tmp//x/"), "app.tmp.x");
  assertEquals(expandStar("plain", "/a"), "plain");
});

Deno.test("tagMaker fills <name> from tag_regex groups, _ for a group that did not match", () => {
  const make = tagMaker(
    "aws.<pod>.<ns>.<missing>",
    "^/var/log/(?<pod>[a-z]+)_(?<ns>[a-z]+)(?<missing>X)?\\.log$",
  );
  assertEquals(make("/var/log/web_prod.log"), "aws.web.prod._");
  assertThrows(() => make("/other/file.txt"), RangeError, "tag_regex does not match");
});

Deno.test("tagMaker is fixed without * or tag_regex", () => {
  assertEquals(tagMaker("app", undefined)("/x/y.log"), "app");
  assertEquals(tagMaker("app.*", "")("/x/y.log"), "app.x.y.log");
});
