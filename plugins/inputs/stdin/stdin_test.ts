import { defaultsOf } from "../../../src/config/options.ts";
import { type Chunk, CHUNK_MAX_BYTES, type LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { Parser, ParserRegistry } from "../../../src/parsers/types.ts";
import { assert, assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import {
  collectChunks,
  type TestInputContext,
  testInputContext,
} from "../../../src/testing/input_context.ts";
import { plugin } from "./mod.ts";
import { type StdinOptions, stdinOptions } from "./options.ts";
import { createStdinInput } from "./stdin.ts";

const encoder = new TextEncoder();

function bytes(piece: string | Uint8Array): Uint8Array {
  return typeof piece === "string" ? encoder.encode(piece) : piece;
}

/** A stream giving each piece as one read; counts how often it was pulled. */
function source(pieces: (string | Uint8Array)[]): ReadableStream<Uint8Array> & { pulls: number } {
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      stream.pulls++;
      if (i < pieces.length) controller.enqueue(bytes(pieces[i++]!));
      else controller.close();
    },
  }, { highWaterMark: 0 }) as ReadableStream<Uint8Array> & { pulls: number };
  stream.pulls = 0;
  return stream;
}

function options(overrides: Partial<StdinOptions> = {}): StdinOptions {
  return { ...defaultsOf(stdinOptions), ...overrides };
}

async function run(
  pieces: (string | Uint8Array)[],
  overrides: Partial<StdinOptions> = {},
  ctx: TestInputContext = testInputContext({ name: "stdin.0" }),
): Promise<LogChunk[]> {
  const input = createStdinInput(options(overrides), ctx, source(pieces));
  return (await collectChunks(input.chunks)) as LogChunk[];
}

function bodies(chunks: Chunk[]): unknown[] {
  return chunks.flatMap((c) => (c as LogChunk).records.map((r) => r.body));
}

Deno.test("stdin plugin declares Fluent Bit's keys with their documented defaults", () => {
  assertEquals(plugin.name, "stdin");
  assertEquals(defaultsOf(plugin.options), { parser: undefined, buffer_size: 16_000 });
});

Deno.test("stdin input makes a JSON map line the record body, at the read time", async () => {
  const before = EventTime.now();
  const chunks = await run(['{"a":1,"b":{"c":[true,null]}}\n', '  {"spaced":"yes"}\n']);
  const after = EventTime.now();
  assertEquals(bodies(chunks), [{ a: 1, b: { c: [true, null] } }, { spaced: "yes" }]);
  const { time, metadata } = chunks[0]!.records[0]!;
  assertEquals(metadata, {});
  assert(time.compare(before) >= 0 && time.compare(after) <= 0);
  assertEquals(chunks[0]!.tag, "stdin.0");
});

Deno.test("stdin input keeps any other line whole as {log: line}", async () => {
  const chunks = await run(["plain text\n", '127.0.0.1 - - "GET / HTTP/1.1" 200\n', "42\n"]);
  assertEquals(bodies(chunks), [
    { log: "plain text" },
    { log: '127.0.0.1 - - "GET / HTTP/1.1" 200' },
    { log: "42" },
  ]);
});

Deno.test("stdin input strips CRLF line ends and skips empty lines", async () => {
  const chunks = await run(['one\r\n{"two":2}\r\n\r\n\nthree\r\n']);
  assertEquals(bodies(chunks), [{ log: "one" }, { two: 2 }, { log: "three" }]);
});

Deno.test("stdin input emits a partial last line at end of input", async () => {
  const chunks = await run(["first\nsec", "ond\nno newline at the end"]);
  assertEquals(bodies(chunks), [
    { log: "first" },
    { log: "second" },
    { log: "no newline at the end" },
  ]);
});

Deno.test("stdin input joins a line and a UTF-8 character split across reads", async () => {
  const all = encoder.encode('{"word":"héllo €"}\nnaïve\n');
  const pieces = Array.from(all, (b) => new Uint8Array([b])); // one byte per read
  assertEquals(bodies(await run(pieces)), [{ word: "héllo €" }, { log: "naïve" }]);
});

Deno.test("stdin input keeps malformed JSON as {log: line} and logs it once", async () => {
  const ctx = testInputContext({ name: "stdin.0" });
  const chunks = await run(['{"a": 1\n', "[1, 2\n", '{"ok":true}\n', "{nope}\n"], {}, ctx);
  assertEquals(bodies(chunks), [{ log: '{"a": 1' }, { log: "[1, 2" }, { ok: true }, {
    log: "{nope}",
  }]);
  assertEquals(ctx.logLines.filter((l) => l.includes("invalid JSON")).length, 1);
  assert(ctx.logLines.some((l) => l.includes("3 lines were kept")));
});

Deno.test("stdin input reads event arrays with their time and metadata", async () => {
  const chunks = await run([
    '[1700000000.5, {"a":1}]\n',
    '[[1700000001, {"meta":"x"}], {"b":2}]\n',
    "[1, 2, 3]\n",
    '["1700000000", {"c":3}]\n',
  ]);
  const records = chunks.flatMap((c) => c.records);
  assertEquals(records[0]!.time, new EventTime(1_700_000_000, 500_000_000));
  assertEquals(records[0]!.body, { a: 1 });
  assertEquals(records[1]!.time, new EventTime(1_700_000_001, 0));
  assertEquals(records[1]!.metadata, { meta: "x" });
  assertEquals(records[1]!.body, { b: 2 });
  assertEquals(records[2]!.body, { log: "[1, 2, 3]" });
  assertEquals(records[3]!.body, { log: '["1700000000", {"c":3}]' });
});

Deno.test("stdin input keeps a 1 MB line whole across 64 KiB reads", async () => {
  const long = "x".repeat(1_000_000);
  const all = encoder.encode(`before\n{"big":"${long}"}\nafter\n`);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += 65_536) pieces.push(all.subarray(at, at + 65_536));
  const chunks = await run(pieces);
  assertEquals(bodies(chunks), [{ log: "before" }, { big: long }, { log: "after" }]);
  assertEquals(chunks.reduce((n, c) => n + c.bytes, 0), all.length);
});

Deno.test("stdin input never throws on invalid UTF-8 and reads on", async () => {
  const bad = new Uint8Array([0x61, 0xff, 0xfe, 0x62, 0xc3, 0x0a]); // "a", 2 bad bytes, "b", cut
  const chunks = await run([bad, '{"next":1}\n']);
  assertEquals(bodies(chunks), [{ log: "a\ufffd\ufffdb\ufffd" }, { next: 1 }]);
});

Deno.test("stdin input drops a UTF-8 byte order mark at the start of input", async () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode('{"a":1}\n')]);
  assertEquals(bodies(await run([bom])), [{ a: 1 }]);
});

Deno.test("stdin input yields one chunk per read, with the read's bytes", async () => {
  const pieces = ['{"n":1}\n{"n":2}\n', "three\n", "four\nfi", "ve\n"];
  const chunks = await run(pieces);
  assertEquals(chunks.map((c) => c.records.length), [2, 1, 1, 1]);
  assertEquals(chunks.map((c) => c.bytes), [16, 6, 5, 5]); // "five\n" is counted once
});

Deno.test("stdin input splits a large read into chunks of at most CHUNK_MAX_BYTES", async () => {
  const line = "y".repeat(999) + "\n";
  const count = Math.ceil((CHUNK_MAX_BYTES * 2.5) / line.length);
  const chunks = await run([line.repeat(count)]);
  assert(chunks.length >= 3, `expected at least 3 chunks, got ${chunks.length}`);
  assert(chunks.every((c) => c.bytes <= CHUNK_MAX_BYTES));
  assertEquals(chunks.reduce((n, c) => n + c.records.length, 0), count);
});

Deno.test("stdin input reads only when the engine asks for the next chunk", async () => {
  const pieces = Array.from({ length: 100 }, (_, i) => `line ${i}\n`);
  const stream = source(pieces);
  const input = createStdinInput(options(), testInputContext(), stream);
  const iterator = input.chunks[Symbol.asyncIterator]();
  await iterator.next();
  await iterator.next();
  assert(stream.pulls <= 3, `read ahead: ${stream.pulls} pulls for 2 chunks`);
  await iterator.return?.();
});

Deno.test("stdin input ends promptly on abort and releases the stream", async () => {
  const ctx = testInputContext();
  const stream = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => {}) });
  const input = createStdinInput(options(), ctx, stream);
  const pending = input.chunks[Symbol.asyncIterator]().next();
  setTimeout(() => ctx.controller.abort(), 10);
  assertEquals((await pending).done, true);
  assertEquals(stream.locked, false);
});

Deno.test("stdin input on abort still yields what it read and leaves the rest unread", async () => {
  const ctx = testInputContext();
  const stream = source(["a\n", "b\n", "c\npartial"]);
  const input = createStdinInput(options(), ctx, stream);
  const iterator = input.chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  assertEquals(bodies([first.value as Chunk]), [{ log: "a" }]);
  await Promise.resolve(); // the read ahead of "b" completes
  ctx.controller.abort();
  const rest: Chunk[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
  assertEquals(bodies(rest), [{ log: "b" }]);
  assertEquals(stream.locked, false);
  const reader = stream.getReader();
  assertEquals(new TextDecoder().decode((await reader.read()).value), "c\npartial");
});

/** A real parser for the tests: `<level> <message>` with an optional `@<epoch>` time. */
const levelParser: Parser = {
  name: "level",
  format: "regex",
  parse(text) {
    const m = /^(?<level>[A-Z]+) (?<message>.*?)(?: @(?<epoch>\d+))?$/.exec(text);
    if (!m?.groups) return null;
    const { level, message, epoch } = m.groups;
    return {
      body: { level, message },
      time: epoch === undefined ? undefined : new EventTime(Number(epoch), 0),
    };
  },
};

const registry: ParserRegistry = {
  get: (name) => (name === levelParser.name ? levelParser : undefined),
  names: () => [levelParser.name],
};

Deno.test("stdin input with a parser uses its fields and its time", async () => {
  const ctx = testInputContext({ name: "stdin.0", parsers: registry });
  const before = EventTime.now();
  const chunks = await run(
    ["INFO started @1700000000\n", "WARN disk low\n", '{"not":"parsed as json"}\n', "bad\n"],
    { parser: "level" },
    ctx,
  );
  const records = chunks.flatMap((c) => c.records);
  assertEquals(records.map((r) => r.body), [
    { level: "INFO", message: "started" },
    { level: "WARN", message: "disk low" },
    { log: '{"not":"parsed as json"}' },
    { log: "bad" },
  ]);
  assertEquals(records[0]!.time, new EventTime(1_700_000_000, 0));
  // No time from the parser: the read time.
  assert(records[1]!.time.compare(before) >= 0 && records[1]!.time.compare(EventTime.now()) <= 0);
  assertEquals(ctx.logLines.filter((l) => l.includes('parser "level" did not match')).length, 1);
  assert(ctx.logLines.some((l) => l.includes("2 lines were kept")));
});

Deno.test("createStdinInput() throws a SyntaxError naming an unknown parser", () => {
  const ctx = testInputContext({ parsers: registry });
  assertThrows(
    () => createStdinInput(options({ parser: "apache9" }), ctx, source([])),
    SyntaxError,
    'Cannot use parser "apache9": no parser has that name (defined: level)',
  );
});
