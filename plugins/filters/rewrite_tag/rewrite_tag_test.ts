import { defaultsOf } from "../../../src/config/options.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import { EmitterHub } from "../../../src/engine/emitter.ts";
import { assert, assertEquals, assertMatch, assertRejects } from "../../../src/testing/assert.ts";
import { bodiesOf, logChunk, testFilterContext } from "../../../src/testing/filter_context.ts";
import { OptionError } from "../../../src/plugin.ts";
import { plugin } from "./mod.ts";
import { rewriteTagOptions } from "./options.ts";
import { ruleWords } from "./rules.ts";

async function rewriteTag(options: Record<string, unknown>) {
  const emitters = new EmitterHub();
  const ctx = testFilterContext({ name: "rewrite_tag.0", emitters });
  const values = { ...defaultsOf(rewriteTagOptions), ...options };
  const inst = await plugin.create(values as never, ctx);
  const emitted = () => emitters.emitters[0]!.drain();
  return { process: inst.process!, emitted, ctx, emitters };
}

Deno.test("rewrite_tag emits matching records under the new tag, the original removed (vectors 1, 2)", async () => {
  const rt = await rewriteTag({ rule: ["$level ^(error|fatal)$ alert.$1.$TAG[1] false"] });
  const chunk = logChunk([{ level: "error", m: "x" }, { level: "info" }], "app.web");
  const out = rt.process(chunk);
  assertEquals(bodiesOf(out), [{ level: "info" }]);
  const [copy, ...more] = rt.emitted();
  assertEquals([copy!.tag, copy!.input, bodiesOf(copy!), more.length], [
    "alert.error.web",
    "emitter_for_rewrite_tag.0",
    [{ level: "error", m: "x" }],
    0,
  ]);
  assertEquals(copy!.records[0]!.time, chunk.records[0]!.time);
  assertEquals(
    rt.ctx.metrics.value("fluentbit_filter_emit_records_total", { name: "rewrite_tag.0" }),
    1,
  );
});

Deno.test("rewrite_tag keep true keeps the original; nested keys; only strings match (vectors 3, 4)", async () => {
  const rt = await rewriteTag({
    rule: ["$kubernetes['namespace_name'] ^(.+)$ ns.$1 true", "$code ^5 err false"],
  });
  const out = rt.process(
    logChunk([{ kubernetes: { namespace_name: "prod" } }, { code: 500 }], "k"),
  );
  assertEquals(bodiesOf(out), [{ kubernetes: { namespace_name: "prod" } }, { code: 500 }]);
  const emitted = rt.emitted();
  assertEquals(emitted.map((c) => [c.tag, bodiesOf(c)]), [["ns.prod", [{
    kubernetes: { namespace_name: "prod" },
  }]]]);
  assert(
    emitted[0]!.records[0]!.body !== bodiesOf(out)[0],
    "the kept original and its copy share no body",
  );
});

Deno.test("rewrite_tag: the first matching rule wins; one chunk per new tag", async () => {
  const rt = await rewriteTag({ rule: ["$a ^x a.$a false", "$b . b.$TAG false"] });
  rt.process(logChunk([{ a: "x", b: "y" }, { b: "y" }, { a: "x" }], "t"));
  assertEquals(rt.emitted().map((c) => [c.tag, c.records.length]), [["a.x", 2], ["b.t", 1]]);
});

Deno.test("rewrite_tag holds the original ack until the copies settle", async () => {
  const rt = await rewriteTag({ rule: ["$m . moved false"] });
  const chunk = logChunk([{ m: "a" }, { m: "b" }], "t");
  assertEquals(rt.process(chunk)!.records.length, 0);
  chunk.ack.release(); // the pipeline drops the emptied chunk
  assertEquals(chunk.ack.settled, false);
  const [copy] = rt.emitted();
  copy!.ack.release(); // delivered
  await chunk.ack.done;
});

Deno.test("rewrite_tag stops a loop: its own copy coming back is not emitted again", async () => {
  const rt = await rewriteTag({ rule: ["$m .* app.loop false"] });
  rt.process(logChunk([{ m: "a" }], "app.x"));
  const [copy] = rt.emitted();
  const again = rt.process(copy!);
  assertEquals([again!.tag, bodiesOf(again)], ["app.loop", [{ m: "a" }]]);
  assertEquals(rt.emitted(), []);
  const labels = { name: "rewrite_tag.0" };
  assertEquals(rt.ctx.metrics.value("sluice_filter_rewrite_tag_loop_records_total", labels), 1);
  assertMatch(rt.ctx.logLines.join("\n"), /loop stopped.*Sample: \{"m":"a"\}/);
});

Deno.test("rewrite_tag refuses a rule of fewer than 4 words, a bad regex, a taken emitter name", async () => {
  await assertRejects(() => rewriteTag({ rule: ["$a ^x tag"] }), OptionError);
  await assertRejects(() => rewriteTag({ rule: ["$a ^(x tag false"] }), OptionError);
  const emitters = new EmitterHub(["dummy.0"]);
  const ctx = testFilterContext({ emitters });
  const values = {
    ...defaultsOf(rewriteTagOptions),
    rule: ["$a x y false"],
    emitter_name: "dummy.0",
  };
  await assertRejects(
    async () => await plugin.create(values as never, ctx),
    OptionError,
    "already exists",
  );
});

Deno.test("ruleWords splits on spaces, double quotes group words", () => {
  assertEquals(ruleWords('$log "^a b$"  new.tag  true extra'), [
    "$log",
    "^a b$",
    "new.tag",
    "true",
    "extra",
  ]);
  assertEquals(ruleWords('$k "say \\"hi\\"" t false'), ["$k", 'say "hi"', "t", "false"]);
});

Deno.test("rewrite_tag passes records no rule matches untouched (same chunk)", async () => {
  const rt = await rewriteTag({ rule: ["$x ^y$ z false"] });
  const bodies: RecordMap[] = [{ x: "n" }];
  const chunk = logChunk(bodies);
  assert(rt.process(chunk) === chunk);
});
