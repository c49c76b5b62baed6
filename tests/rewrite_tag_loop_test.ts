/**
 * Bad input for rewrite_tag: rules that would loop. Fluent Bit 4.2.8 has no guard (the
 * record is re-emitted forever, nothing is delivered, the engine spins pausing and resuming
 * the emitter); sluice stops the loop where a record reaches a rewrite_tag that emitted it
 * before, says so in one log line, counts it, and delivers every record once.
 */
import { assert, assertEquals, assertMatch } from "../src/testing/assert.ts";
import { freePort, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

const LINES = 50;

async function lineCount(path: string): Promise<number> {
  try {
    return (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "").length;
  } catch {
    return 0;
  }
}

function metric(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? NaN : Number(line.split(" ").at(-1));
}

async function runLoop(filters: string, tag: string, expectedTag: string) {
  const port = freePort();
  const input = Array.from({ length: LINES }, (_, i) => JSON.stringify({ m: `line ${i}` }))
    .join("\n") + "\n";
  const dir = await tempDirWith({
    "in.log": input,
    "parsers.conf": "[PARSER]\n    name json\n    format json\n",
  });
  await Deno.writeTextFile(
    `${dir}/sluice.yaml`,
    `service:
  flush: 0.2
  http_server: on
  http_listen: 127.0.0.1
  http_port: ${port}
  parsers_file: ${dir}/parsers.conf
pipeline:
  inputs:
    - name: tail
      tag: ${tag}
      path: ${dir}/in.log
      read_from_head: true
      parser: json
  filters:
${filters}
  outputs:
    - name: file
      match: "*"
      path: ${dir}/out
      format: plain
`,
  );
  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  const stderr: string[] = [];
  const reading = child.stderr.pipeThrough(new TextDecoderStream()).pipeTo(
    new WritableStream({ write: (s) => void stderr.push(s) }),
  );
  try {
    await waitFor(async () => (await lineCount(`${dir}/out/${expectedTag}`)) >= LINES, {
      what: `${LINES} records under ${expectedTag}`,
      timeoutMs: 30_000,
    });
    const prom: string = await waitFor<string>(async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`))
        .text();
      return text.includes("sluice_filter_rewrite_tag_loop_records_total") ? text : "";
    }, { what: "metrics" });
    const files: Record<string, number> = {};
    for await (const e of Deno.readDir(`${dir}/out`)) {
      files[e.name] = await lineCount(`${dir}/out/${e.name}`);
    }
    return { prom, files, stderr: () => stderr.join(""), child };
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await reading.catch(() => {});
    assertEquals(status.code, 0, "the process was alive and stopped cleanly");
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("rewrite_tag: a rule re-tagging into its own match is stopped, logged, counted, nothing lost", async () => {
  const r = await runLoop(
    `    - name: rewrite_tag
      match: app.*
      rule: $m .* app.loop false`,
    "app.x",
    "app.loop",
  );
  assertEquals(r.files, { "app.loop": LINES }, "every record delivered once, under its new tag");
  const loops = metric(
    r.prom,
    "sluice_filter_rewrite_tag_loop_records_total",
    'name="rewrite_tag.0"',
  );
  assertEquals(loops, LINES);
  assertEquals(
    metric(r.prom, "fluentbit_filter_emit_records_total", 'name="rewrite_tag.0"'),
    LINES,
  );
  assertEquals(
    metric(r.prom, "fluentbit_input_records_total", 'name="emitter_for_rewrite_tag.0"'),
    LINES,
  );
  const lines = r.stderr().split("\n").filter((l) => l.includes("loop stopped"));
  assertEquals(lines.length, 1, "one log line, not one per record");
  assertMatch(
    lines[0]!,
    /rewrite_tag\.0.*rule "\$m \.\* app\.loop false".*Sample: \{"m":"line \d+"\}/,
  );
});

Deno.test("rewrite_tag: two filters re-tagging into each other are stopped at the first one again", async () => {
  const r = await runLoop(
    `    - name: rewrite_tag
      alias: to_b
      match: a.*
      rule: $m ^line b.$TAG[1] false
    - name: rewrite_tag
      alias: to_a
      match: b.*
      rule: $m ^line a.$TAG[1] false`,
    "a.start",
    "a.start",
  );
  // a.start → (to_b) b.start → (to_a) a.start → to_b emitted these before: stopped there.
  assertEquals(r.files, { "a.start": LINES });
  assertEquals(
    metric(r.prom, "sluice_filter_rewrite_tag_loop_records_total", 'name="to_b"'),
    LINES,
  );
  assertEquals(metric(r.prom, "sluice_filter_rewrite_tag_loop_records_total", 'name="to_a"'), 0);
  assert(r.stderr().includes("loop stopped"));
});
