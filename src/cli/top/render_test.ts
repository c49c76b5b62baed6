import { assert, assertEquals, assertStringIncludes } from "../../testing/assert.ts";
import type { PipelineBody } from "../../server/pipeline_view.ts";
import { renderTop } from "./render.ts";

function body(ms: number, n: number, extra: Partial<PipelineBody> = {}): PipelineBody {
  return {
    version: "0.1.0",
    hostname: "host",
    pid: 7,
    config: "/etc/sluice/a-very-long-directory-name/and/another/one/pipeline.yaml",
    started_at: "",
    uptime_sec: 3725,
    now_ms: ms,
    health: {
      status: "error",
      errors: 9,
      retries_failed: 0,
      error_limit: 5,
      retry_failure_limit: 5,
      period_limit: 60,
    },
    inputs: Array.from({ length: 12 }, (_, i) => ({
      name: `tail.${i}`,
      plugin: "tail",
      kind: "input" as const,
      tag: "t",
      processors: [],
      records: n * (i + 1),
      bytes: n * 100,
      paused: i === 0,
      buffer: { chunks: 1, bytes: 500, limit: 1000, type: "memory" },
      files: [{
        path: `/var/log/containers/${"x".repeat(90)}.log`,
        read: 2048,
        committed: 1024,
        size: 4096,
        state: "active",
        lag: 2048,
      }],
    })),
    filters: [],
    outputs: [{
      name: "http.0",
      plugin: "http",
      kind: "output",
      tag: "*",
      processors: ["sampling.0"],
      records: n,
      bytes: n * 10,
      errors: 9,
      retries: 3,
      retried_records: 3,
      retries_failed: 0,
      dropped: 0,
      dead_letters: 0,
    }],
    edges: [],
    sampling: [],
    errors: [{ time: 0, level: "error", component: "output:http:http.0", message: "refused\nx" }],
    ...extra,
  };
}

Deno.test("renderTop() fits a crowded pipeline into 80x24 and says what it cut", () => {
  const lines = renderTop(body(2000, 400), body(1000, 100), {
    width: 80,
    height: 24,
    color: false,
    url: "http://127.0.0.1:2020",
  });
  assertEquals(lines.length, 24);
  assert(lines.every((l) => l.length <= 80), lines.join("\n"));
  assertStringIncludes(lines[0]!, "up 1h 2m");
  assertStringIncludes(lines[0]!, "health error");
  assertStringIncludes(lines.at(-1)!, "more lines: enlarge the terminal");
  // tail.1's rate: (800 - 200) records over one second.
  assertEquals(lines.find((l) => l.startsWith("tail.1 "))?.trim().split(/ +/)[1], "600");
  assertEquals(lines.find((l) => l.startsWith("tail.0 "))?.trim().split(/ +/).at(-1), "yes");
});

Deno.test("renderTop() shows file paths by their end and errors on one line each", () => {
  const lines = renderTop(body(2000, 400, { inputs: body(0, 0).inputs.slice(0, 1) }), undefined, {
    width: 80,
    height: 40,
    color: false,
    url: "u",
  });
  const file = lines.find((l) => l.includes(".log"));
  assert(file?.startsWith("…") && file.includes("xxx.log"), file);
  assert(lines.some((l) => l.endsWith("[output:http:http.0] refused x")), lines.join("\n"));
  // Without a prior reading there are no rates yet.
  assertEquals(lines.find((l) => l.startsWith("tail.0 "))?.trim().split(/ +/)[1], "-");
});

Deno.test("renderTop() paints only when asked", () => {
  const opts = { width: 80, height: 24, url: "u" };
  const plain = renderTop(body(2000, 1), undefined, { ...opts, color: false }).join("\n");
  const painted = renderTop(body(2000, 1), undefined, { ...opts, color: true }).join("\n");
  assert(!plain.includes("\x1b"));
  assertStringIncludes(painted, "\x1b[31;1merror\x1b[0m");
});

Deno.test("renderTop() drops columns on a narrow terminal instead of wrapping", () => {
  for (const width of [20, 40, 60]) {
    const lines = renderTop(body(2000, 400), body(1000, 100), {
      width,
      height: 24,
      color: false,
      url: "http://127.0.0.1:2020",
    });
    assert(lines.every((l) => l.length <= width), `${width}:\n${lines.join("\n")}`);
  }
});
