import { assertEquals } from "../testing/assert.ts";
import type { ConfigProblem, RawSection } from "./model.ts";
import { expandSections, expandString, expandValue, makeLookup } from "./variables.ts";

const none = (): undefined => undefined;

Deno.test("expandString() replaces ${VAR} from the lookup", () => {
  const lookup = makeLookup(new Map([["PORT", "2020"]]), { env: {} });
  assertEquals(expandString("port ${PORT}!", lookup), { value: "port 2020!", missing: [] });
  assertEquals(expandString("no vars", lookup), { value: "no vars", missing: [] });
});

Deno.test("expandString() uses ${VAR:-default} when VAR is unset or empty", () => {
  const lookup = makeLookup(new Map([["EMPTY", ""], ["SET", "x"]]), { env: {} });
  assertEquals(expandString("${UNSET:-a}", lookup).value, "a");
  assertEquals(expandString("${EMPTY:-b}", lookup).value, "b");
  assertEquals(expandString("${SET:-c}", lookup).value, "x");
  assertEquals(expandString("${UNSET:-}", lookup), { value: "", missing: [] });
});

Deno.test("expandString() lists unset variables without a default", () => {
  assertEquals(expandString("${A}/${B}", none), { value: "/", missing: ["A", "B"] });
  assertEquals(expandString("${EMPTY}", makeLookup(new Map([["EMPTY", ""]]), { env: {} })), {
    value: "",
    missing: [],
  });
  assertEquals(expandString("cost: ${ unclosed", none).value, "cost: ${ unclosed");
});

Deno.test("makeLookup() prefers the config's variables over the environment", () => {
  const lookup = makeLookup(new Map([["A", "config"]]), { env: { A: "env", B: "env-b" } });
  assertEquals(lookup("A"), "config");
  assertEquals(lookup("B"), "env-b");
  assertEquals(lookup("C"), undefined);
});

Deno.test("makeLookup() predefines HOSTNAME unless something sets it", () => {
  assertEquals(makeLookup(new Map(), { env: {}, hostname: "box" })("HOSTNAME"), "box");
  assertEquals(makeLookup(new Map(), { env: { HOSTNAME: "e" }, hostname: "box" })("HOSTNAME"), "e");
  const real = makeLookup(new Map(), { env: {} })("HOSTNAME");
  assertEquals(typeof real === "string" && real.length > 0, true);
});

Deno.test("expandValue() expands strings inside nested lists and maps", () => {
  const lookup = makeLookup(new Map([["K", "v"]]), { env: {} });
  const r = expandValue({ a: ["${K}", 1, true, null], b: { c: "x${K}" } }, lookup);
  assertEquals(r.value, { a: ["v", 1, true, null], b: { c: "xv" } });
});

Deno.test("expandSections() expands props and processors and reports unset variables", () => {
  const pos = { file: "f.yaml", line: 3, col: 7 };
  const section: RawSection = {
    kind: "input",
    pos,
    props: [{ key: "port", value: "${PORT}", pos }, { key: "tag", value: "${T}", pos }],
    processors: {
      logs: [{ kind: "processor", pos, props: [{ key: "value", value: ["${T}"], pos }] }],
    },
  };
  const problems: ConfigProblem[] = [];
  expandSections([section], makeLookup(new Map([["T", "app"]]), { env: {} }), problems);
  assertEquals(section.props.map((p) => p.value), ["", "app"]);
  assertEquals(section.processors?.logs?.[0]?.props[0]?.value, ["app"]);
  assertEquals(problems.length, 1);
  assertEquals(problems[0]!.key, "port");
  assertEquals(problems[0]!.message, 'variable "PORT" is not set');
  assertEquals(problems[0]!.pos, pos);
});
