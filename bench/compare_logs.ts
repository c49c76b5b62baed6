/**
 * The log rows of `deno task bench:compare`: the tail input on the 1M-line file into
 * null, through the json parser into null, into a file (plain and Fluent Bit's default
 * format) and into an HTTP receiver (json_lines); the idle footprint of one tail input;
 * and the time from spawn until an OTLP port accepts. Both sides get the same YAML.
 * Completion is exact: the monitoring API's output record count for null, the file's
 * byte count (learnt from a first run whose lines are counted) for file, the receiver's
 * record count for http.
 */
import type { CompareRow, CompareSide, RowContext, RowResult } from "./compare_row.ts";
import { monitoring, NULL_OUTPUT, pipeline, service, tailInput } from "./compare_config.ts";
import { runUntilDelivered } from "./until_delivered.ts";
import { countLines } from "./lines.ts";
import { freePort, startSink } from "./measure.ts";

async function outputRecords(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/metrics`);
  const m = await res.json() as { output?: Record<string, { proc_records?: number }> };
  let n = 0;
  for (const o of Object.values(m.output ?? {})) n += o.proc_records ?? 0;
  return n;
}

const POLL_MS = 20;

async function deliver(
  side: CompareSide,
  path: string,
  yaml: string,
  options: { count: () => Promise<number>; expected: number; label: string },
): Promise<RowResult> {
  await Deno.writeTextFile(path, yaml);
  const r = await runUntilDelivered(options.label, side.cmd(path), {
    count: options.count,
    expected: options.expected,
    pollMs: POLL_MS,
    timeoutMs: 120_000,
  });
  return {
    wall: r.seconds,
    cpu: r.m.cpu,
    rssMb: r.m.peakRssMb,
    problem: r.delivered === options.expected
      ? undefined
      : `delivered ${r.delivered} of ${options.expected}`,
  };
}

function nullRow(name: string, parser: boolean): CompareRow {
  return {
    name,
    run(side, ctx) {
      const port = freePort();
      const yaml = (parser ? "parsers:\n  - name: json\n    format: json\n" : "") +
        service(monitoring(port)) +
        pipeline(tailInput(ctx.input, parser ? ["parser: json"] : []), NULL_OUTPUT);
      return deliver(side, `${ctx.dir}/null_${parser}.yaml`, yaml, {
        count: () => outputRecords(port),
        expected: ctx.lines,
        label: name,
      });
    },
  };
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch {
    return 0;
  }
}

/** Waits until `path` has not grown for `quietMs`, and returns its size. */
async function settledSize(path: string, quietMs: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let last = -1;
  let since = performance.now();
  while (performance.now() < deadline) {
    const s = await sizeOf(path);
    if (s !== last) {
      last = s;
      since = performance.now();
    } else if (s > 0 && performance.now() - since >= quietMs) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

function fileRow(name: string, format: "plain" | undefined): CompareRow {
  const expected = new Map<string, number>();
  const config = (side: CompareSide, ctx: RowContext) => {
    const dir = `${ctx.dir}/file_${side.name.replace(" ", "_")}`;
    const file = "out.log";
    const output = [
      "    - name: file",
      '      match: "*"',
      `      path: ${dir}`,
      `      file: ${file}`,
      ...(format ? [`      format: ${format}`] : []),
    ].map((l) => l + "\n").join("");
    return { dir, out: `${dir}/${file}`, yaml: service() + pipeline(tailInput(ctx.input), output) };
  };
  return {
    name,
    note: "the expected byte count is learnt from a first run whose lines are counted",
    async setup(ctx, sides) {
      for (const side of sides) {
        const { dir, out, yaml } = config(side, ctx);
        await Deno.remove(dir, { recursive: true }).catch(() => {});
        await Deno.mkdir(dir, { recursive: true });
        const path = `${ctx.dir}/file_${format ?? "default"}.yaml`;
        await Deno.writeTextFile(path, yaml);
        const child = new Deno.Command(side.cmd(path)[0]!, {
          args: side.cmd(path).slice(1),
          stdout: "null",
          stderr: "null",
        }).spawn();
        const size = await settledSize(out, 1500, 120_000);
        child.kill("SIGTERM");
        await child.status;
        const n = await countLines(out);
        if (n !== ctx.lines) {
          console.log(`!! ${name} (${side.name}) calibration wrote ${n} lines of ${ctx.lines}`);
        }
        expected.set(side.name, size);
      }
      const sizes = [...expected.entries()].map(([k, v]) => `${k} ${v} B`).join(", ");
      console.log(`${name}: output sizes ${sizes}`);
    },
    async run(side, ctx) {
      const { dir, out, yaml } = config(side, ctx);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.mkdir(dir, { recursive: true });
      const r = await deliver(side, `${ctx.dir}/file_${format ?? "default"}.yaml`, yaml, {
        count: () => sizeOf(out),
        expected: expected.get(side.name) ?? Number.NaN,
        label: name,
      });
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      return r;
    },
  };
}

function httpRow(): CompareRow {
  let port = 0;
  let sink: Deno.ChildProcess | undefined;
  const sinkCall = async (method: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/count`, { method });
    return method === "GET" ? (await res.json() as { records: number }).records : 0;
  };
  return {
    name: "tail -> http (json_lines)",
    note: "receiver: bench/http_sink.ts, its own process",
    async setup() {
      port = freePort();
      sink = await startSink("http_sink.ts", port);
    },
    async run(side, ctx) {
      await sinkCall("DELETE");
      const output = [
        "    - name: http",
        '      match: "*"',
        "      host: 127.0.0.1",
        `      port: ${port}`,
        "      uri: /",
        "      format: json_lines",
      ].map((l) => l + "\n").join("");
      const yaml = service() + pipeline(tailInput(ctx.input), output);
      return await deliver(side, `${ctx.dir}/http.yaml`, yaml, {
        count: () => sinkCall("GET"),
        expected: ctx.lines,
        label: "tail -> http",
      });
    },
    async teardown() {
      sink?.kill("SIGTERM");
      await sink?.status;
      await sink?.stdout.cancel().catch(() => {});
    },
  };
}

/** The log rows, in table order. */
export function logRows(): CompareRow[] {
  return [
    nullRow("tail -> null", false),
    nullRow("tail + json parser -> null", true),
    fileRow("tail -> file (plain)", "plain"),
    fileRow("tail -> file (out_file, the default)", undefined),
    httpRow(),
  ];
}
