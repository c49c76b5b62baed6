import { assertEquals } from "../testing/assert.ts";
import { EventTime } from "../event/event_time.ts";
import type { LogRecord } from "../event/log_record.ts";
import { MultilineAssembler } from "./assembler.ts";
import { builtinParsers, parseContainerTime } from "./builtin.ts";
import { rec } from "./_testing.ts";

const dir = new URL("../../testdata/multiline/", import.meta.url);
const builtins = builtinParsers();

/** Pushes every line into one stream, then flushes; returns the records in order. */
function run(names: string[], lines: (string | LogRecord)[]): LogRecord[] {
  const asm = new MultilineAssembler(names.map((n) => builtins.get(n)!));
  const out: LogRecord[] = [];
  for (const line of lines) for (const m of asm.push("s", line)) out.push(m.record);
  for (const m of asm.flush()) out.push(m.record);
  return out;
}

function logs(records: LogRecord[], key = "log"): unknown[] {
  return records.map((r) => r.body[key]);
}

const JAVA = [
  'Exception in thread "main" java.lang.IllegalStateException: Order 42 has no items',
  "    at com.shop.orders.OrderService.checkout(OrderService.java:118)",
  "    at com.shop.web.CheckoutController.post(CheckoutController.java:57)",
  "Caused by: java.lang.NullPointerException: items is null",
  "    at com.shop.orders.Order.total(Order.java:33)",
  "    ... 2 more",
];

Deno.test("java joins a stack trace with its cause and passes the next line alone", () => {
  const out = run(["java"], [...JAVA, "2024-05-01 12:00:01 INFO next request"]);
  assertEquals(logs(out), [JAVA.join("\n"), "2024-05-01 12:00:01 INFO next request"]);
});

Deno.test("java joins records' key_content and keeps the first record's fields", () => {
  const asm = new MultilineAssembler([builtins.get("java")!], { keyContent: "log" });
  const first: LogRecord = {
    time: new EventTime(10, 5),
    metadata: { m: 1 },
    body: { pod: "a", log: JAVA[0] },
  };
  const out = [...asm.push("s", first), ...asm.push("s", rec(JAVA[1]!)), ...asm.flush()];
  assertEquals(out.length, 1);
  assertEquals(out[0]!.record, {
    time: new EventTime(10, 5),
    metadata: { m: 1 },
    body: { pod: "a", log: `${JAVA[0]}\n${JAVA[1]}` },
  });
});

Deno.test("python joins a traceback and ends it at the exception line", () => {
  const tb = [
    "Traceback (most recent call last):",
    '  File "/srv/app/main.py", line 12, in <module>',
    "    main()",
    '  File "/srv/app/main.py", line 8, in main',
    "    return 1 / 0",
    "ZeroDivisionError: division by zero",
  ];
  const asm = new MultilineAssembler([builtins.get("python")!]);
  const done = tb.flatMap((l) => [...asm.push("s", l)]);
  assertEquals(logs(done.map((m) => m.record)), [tb.join("\n")]); // complete without a flush
  assertEquals(logs(run(["python"], [...tb, "INFO worker stopped"])), [
    tb.join("\n"),
    "INFO worker stopped",
  ]);
});

Deno.test("go joins a panic with its goroutine frames", () => {
  const panic = [
    "panic: runtime error: index out of range [5] with length 3",
    "",
    "goroutine 1 [running]:",
    "main.lookup(...)",
    "\t/home/dev/app/main.go:14",
    "main.main()",
    "\t/home/dev/app/main.go:9 +0x1d",
  ];
  assertEquals(logs(run(["go"], ["starting", ...panic, "exit status 2"])), [
    "starting",
    panic.join("\n"),
    "exit status 2",
  ]);
});

Deno.test("ruby joins an error with its from lines", () => {
  const err = [
    "/app/lib/billing.rb:27:in `charge': card declined (Billing::Error)",
    "\tfrom /app/lib/billing.rb:12:in `run'",
    "\tfrom bin/worker:5:in `<main>'",
  ];
  assertEquals(logs(run(["ruby"], [...err, "I, [2024-05-01T12:00:00] INFO -- : retrying"])), [
    err.join("\n"),
    "I, [2024-05-01T12:00:00] INFO -- : retrying",
  ]);
});

Deno.test("docker joins the corpus's split json-file lines", async () => {
  const name = "dockermode_splitted_line";
  const lines = (await Deno.readTextFile(new URL(`${name}.log`, dir))).split("\n")
    .filter((l) => l !== "");
  const expected = (await Deno.readTextFile(new URL(`${name}.out`, dir))).split("\n")
    .filter((l) => l !== "").map((l) => JSON.parse(l));
  assertEquals(run(["docker"], lines).map((r) => r.body), expected);
});

Deno.test("docker keeps stdout and stderr partials apart and reads the time", () => {
  const out = run(["docker"], [
    '{"log":"part one, ","stream":"stdout","time":"2024-05-01T10:00:00.000000001Z"}',
    '{"log":"oops\\n","stream":"stderr","time":"2024-05-01T10:00:00.5Z"}',
    '{"log":"part two\\n","stream":"stdout","time":"2024-05-01T10:00:01Z"}',
  ]);
  assertEquals(out.map((r) => r.body), [
    { log: "oops\n", stream: "stderr", time: "2024-05-01T10:00:00.5Z" },
    { log: "part one, part two\n", stream: "stdout", time: "2024-05-01T10:00:00.000000001Z" },
  ]);
  assertEquals(out[1]!.time, new EventTime(1714557600, 1));
});

Deno.test("cri joins P lines until F and converts the time's offset", () => {
  const out = run(["cri"], [
    "2024-05-01T10:00:00.123456789+00:00 stdout P first part, ",
    "2024-05-01T10:00:00.223456789+00:00 stdout P second part, ",
    "2024-05-01T10:00:00.323456789+00:00 stdout F last part",
    "2024-05-01T10:00:01.000000000+02:00 stderr F whole line",
  ]);
  assertEquals(out.map((r) => r.body), [
    {
      time: "2024-05-01T10:00:00.123456789+00:00",
      stream: "stdout",
      _p: "P",
      log: "first part, second part, last part",
    },
    { time: "2024-05-01T10:00:01.000000000+02:00", stream: "stderr", _p: "F", log: "whole line" },
  ]);
  assertEquals(out[0]!.time, new EventTime(1714557600, 123456789));
  assertEquals(out[1]!.time, new EventTime(1714557600 - 7200 + 1, 0));
});

Deno.test("docker, cri tries both formats in one stream, as multiline.parser lists them", () => {
  const out = run(["docker", "cri"], [
    '{"log":"a1\\n","stream":"stdout"}',
    '{"log":"b","stream":"stdout"}',
    "2024-05-01T10:00:00Z stdout P c1 ",
    "2024-05-01T10:00:00Z stdout F c2",
    "not a container line",
    '{"log":"d\\n","stream":"stdout"}',
  ]);
  assertEquals(logs(out), ["a1\n", "b", "c1 c2", "not a container line", "d\n"]);
});

Deno.test("parseContainerTime() reads runtime times exactly and rejects others", () => {
  assertEquals(
    parseContainerTime("2021-02-01T01:40:03.53412Z"),
    new EventTime(1612143603, 534120000),
  );
  assertEquals(
    parseContainerTime("2021-02-01T01:40:03-01:30"),
    new EventTime(1612143603 + 5400, 0),
  );
  assertEquals(parseContainerTime("2021-02-01T01:40:03.1234567891z")?.nsec, 123456789);
  assertEquals(parseContainerTime("yesterday"), undefined);
});
