import { assertEquals } from "../../../src/testing/assert.ts";
import { compileTagTemplate } from "./tag_template.ts";

Deno.test("compileTagTemplate() renders $TAG, $TAG[n] and record keys", () => {
  const s = compileTagTemplate("fw.$TAG.$TAG[1]");
  assertEquals(s.dynamic, false);
  assertEquals(s.render("app.web"), "fw.app.web.web");
  const d = compileTagTemplate("k8s.$kubernetes['ns'].$level");
  assertEquals(d.dynamic, true);
  assertEquals(d.render("t", { kubernetes: { ns: "prod" }, level: 3 }), "k8s.prod.3");
  assertEquals(d.render("t", {}), "k8s..");
  assertEquals(compileTagTemplate("static").render("x"), "static");
});
