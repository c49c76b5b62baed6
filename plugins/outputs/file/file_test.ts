import { defaultsOf } from "../../../src/config/options.ts";
import { Ack } from "../../../src/event/ack.ts";
import { RetryableError } from "../../../src/engine/errors.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import type { MetricRecord } from "../../../src/event/metric.ts";
import { decodeRecords } from "../../../src/event/msgpack.ts";
import { emptyResource, emptyScope } from "../../../src/event/span.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
} from "../../../src/testing/assert.ts";
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { createFileOutput, sanitizeTag } from "./file.ts";
import { plugin } from "./mod.ts";
import { type FileOptions, fileOptions } from "./options.ts";

function options(overrides: Partial<FileOptions> = {}): FileOptions {
  return { ...defaultsOf(fileOptions), ...overrides };
}

function rec(body: Record<string, unknown>, sec = 1700000000, nsec = 0): LogRecord {
  return { time: new EventTime(sec, nsec), metadata: {}, body };
}

function logs(records: LogRecord[], tag = "app.log"): LogChunk {
  return { signal: "logs", tag, records, bytes: 10, ack: new Ack(), input: "dummy.0" };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "sluice_out_file_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function gunzip(path: string): Promise<string> {
  const file = await Deno.open(path);
  const stream = file.readable.pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

Deno.test("file plugin declares Fluent Bit's keys with their defaults", () => {
  assertEquals(plugin.name, "file");
  assertEquals(plugin.signals, ["logs", "metrics"]);
  const d = defaultsOf(plugin.options);
  assertEquals(d.format, undefined);
  assertEquals(d.template, "{time} {message}");
  assertEquals([d.mkdir, d.csv_column_names, d.rotate, d.rotate_gzip], [true, false, false, true]);
  assertEquals([d.rotate_max_size, d.rotate_max_files], [104_857_600, 7]);
});

Deno.test("file output appends out_file lines to <path>/<tag> across chunks", async () => {
  await withDir(async (dir) => {
    const out = createFileOutput(options({ path: dir }), testFilterContext());
    await out.write(logs([rec({ a: 1 }, 1700000000, 123456789)]));
    await out.write(logs([rec({ b: "é" }, 1700000001)]));
    await out.close?.();
    assertEquals(
      await Deno.readTextFile(`${dir}/app.log`),
      'app.log: [1700000000.123456789, {"a":1}]\n' +
        'app.log: [1700000001.000000000, {"b":"\\u00e9"}]\n',
    );
  });
});

Deno.test("file output reopens the file when it was removed or renamed away", async () => {
  await withDir(async (dir) => {
    const out = createFileOutput(
      options({ path: dir, file: "out.txt", format: "plain" }),
      testFilterContext(),
    );
    await out.write(logs([rec({ n: 1 })]));
    await Deno.rename(`${dir}/out.txt`, `${dir}/out.txt.1`);
    await out.write(logs([rec({ n: 2 })]));
    await Deno.remove(`${dir}/out.txt`);
    await out.write(logs([rec({ n: 3 })]));
    await out.close?.();
    assertEquals(await Deno.readTextFile(`${dir}/out.txt.1`), '{"n":1}\n');
    assertEquals(await Deno.readTextFile(`${dir}/out.txt`), '{"n":3}\n');
  });
});

Deno.test("file output makes the tag a safe relative path and creates it with mkdir", async () => {
  await withDir(async (dir) => {
    const out = createFileOutput(
      options({ path: `${dir}/a/b`, mkdir: true, format: "plain" }),
      testFilterContext(),
    );
    await out.write(logs([rec({ x: 1 })], "../kube/pod:1"));
    await out.close?.();
    assertEquals(await Deno.readTextFile(`${dir}/a/b/_/kube/pod_1`), '{"x":1}\n');
  });
  assertEquals(sanitizeTag("/var//log/app"), "var/log/app");
  assertEquals(sanitizeTag("./x/../y"), "_/x/_/y");
  assertEquals(sanitizeTag("é"), "__");
  assertEquals(sanitizeTag("//"), "_");
});

Deno.test("file output with mkdir off reports a missing directory as retryable", async () => {
  await withDir(async (dir) => {
    const out = createFileOutput(
      options({ path: `${dir}/missing`, mkdir: false }),
      testFilterContext(),
    );
    await assertRejects(() => out.write(logs([rec({ x: 1 })])), RetryableError, "Cannot open");
  });
});

Deno.test("file output turns a failed write into a RetryableError", async () => {
  const out = createFileOutput(
    options({ path: "/dev", file: "full", format: "plain" }),
    testFilterContext(),
  );
  await assertRejects(() => out.write(logs([rec({ x: 1 })])), RetryableError, "/dev/full");
  await out.close?.();
});

Deno.test("file output writes csv column names only at the start of an empty file", async () => {
  await withDir(async (dir) => {
    const o = options({ path: dir, file: "f.csv", format: "csv", csv_column_names: true });
    const out = createFileOutput(o, testFilterContext());
    await out.write(logs([rec({ k: "v", n: 2 }, 1, 5)]));
    await out.write(logs([rec({ k: "w", n: 3 }, 2, 0)]));
    await out.close?.();
    assertEquals(
      await Deno.readTextFile(`${dir}/f.csv`),
      'timestamp,"k","n"\n1.000000005,"v",2\n2.000000000,"w",3\n',
    );
  });
});

Deno.test("file output ltsv and template use their delimiters and template", async () => {
  await withDir(async (dir) => {
    const ctx = testFilterContext();
    const ltsv = createFileOutput(
      options({ path: dir, file: "l", format: "ltsv", delimiter: "space", label_delimiter: "|" }),
      ctx,
    );
    await ltsv.write(logs([rec({ k: "v" }, 1, 500_000_000)]));
    await ltsv.close?.();
    assertEquals(await Deno.readTextFile(`${dir}/l`), '"time":1.500000 "k":"v"\n');
    assertStringIncludes(ctx.logLines.join(""), 'Ignoring "label_delimiter" "|"');
    const tpl = createFileOutput(
      options({ path: dir, file: "t", format: "template", template: "{time} [{level}] {message}" }),
      ctx,
    );
    await tpl.write(logs([rec({ level: "info", message: "up" }, 2)]));
    await tpl.close?.();
    assertEquals(await Deno.readTextFile(`${dir}/t`), "2.000000 [info] up\n");
  });
});

Deno.test("file output format msgpack writes v2 events that decode back", async () => {
  await withDir(async (dir) => {
    const out = createFileOutput(
      options({ path: dir, file: "m", format: "msgpack" }),
      testFilterContext(),
    );
    const records = [rec({ a: 1 }, 1700000000, 42), rec({ b: [true] }, 1700000001, 7)];
    await out.write(logs(records));
    await out.close?.();
    const back = decodeRecords(await Deno.readFile(`${dir}/m`));
    assertEquals(back.map((r) => [r.time.sec, r.time.nsec, r.body]), [
      [1700000000, 42, { a: 1 }],
      [1700000001, 7, { b: [true] }],
    ]);
  });
});

Deno.test("file output writes metrics in cmetrics' text format, as Fluent Bit does", async () => {
  await withDir(async (dir) => {
    const out = createFileOutput(options({ path: dir, file: "metrics" }), testFilterContext());
    const point = {
      attributes: { code: "200" },
      startTimeUnixNano: 0n,
      timeUnixNano: 1_700_000_000_000_000_001n,
      flags: 0,
      value: 5n,
      exemplars: [],
    };
    const metric: MetricRecord = {
      resource: emptyResource(),
      scope: emptyScope(),
      name: "requests",
      description: "",
      unit: "1",
      metadata: {},
      data: { sum: { dataPoints: [point], aggregationTemporality: 2, isMonotonic: true } },
    };
    const chunk: Chunk = {
      signal: "metrics",
      tag: "m",
      records: [metric],
      bytes: 1,
      ack: new Ack(),
      input: "x",
    };
    await out.write(chunk);
    await out.close?.();
    assertEquals(
      await Deno.readTextFile(`${dir}/metrics`),
      '2023-11-14T22:13:20.000000001Z requests{code="200"} = 5\n',
    );
  });
});

Deno.test("file output rotates a full file to a gzip and keeps rotate_max_files of them", async () => {
  await withDir(async (dir) => {
    const o = options({
      path: dir,
      file: "app",
      format: "plain",
      rotate: true,
      rotate_max_size: 5,
      rotate_max_files: 2,
    });
    const ctx = testFilterContext();
    const out = createFileOutput(o, ctx);
    for (let n = 1; n <= 4; n++) await out.write(logs([rec({ n })]));
    await out.close?.();
    assertEquals(await Deno.readTextFile(`${dir}/app`), '{"n":4}\n');
    const rotated: string[] = [];
    for await (const e of Deno.readDir(dir)) if (e.name !== "app") rotated.push(e.name);
    assertEquals(rotated.length, 2);
    for (const name of rotated) assert(/^app\.\d{8}_\d{6}_[0-9a-f]{8}\.gz$/.test(name), name);
    const contents = await Promise.all(rotated.map((n) => gunzip(`${dir}/${n}`)));
    assertEquals(contents.sort(), ['{"n":2}\n', '{"n":3}\n']);
    assertStringIncludes(ctx.logLines.join(""), "Rotated");
  });
});

Deno.test("file output refuses the dynamic destination options it does not implement", () => {
  const ctx = testFilterContext();
  assertThrows(
    () => createFileOutput(options({ file: "$key" }), ctx),
    RangeError,
    "record accessor",
  );
  assertThrows(() => createFileOutput(options({ enable_strftime: true }), ctx), RangeError);
  assertThrows(() => createFileOutput(options({ atomic_chunks: true }), ctx), RangeError);
  assertThrows(
    () => createFileOutput(options({ rotate: true, rotate_max_files: 0 }), ctx),
    RangeError,
    "rotate_max_files",
  );
});
