/**
 * The stdin input's reader: pulls the byte stream one read at a time (only when the
 * engine asks for a chunk), cuts it into whole lines and yields one chunk per read
 * (split at about CHUNK_MAX_BYTES). It ends at end of input, emitting a partial last
 * line, or when the signal aborts.
 */
import { ABORTED, type InputContext, type InputInstance, orAbort } from "../../../src/plugin.ts";
import { type Chunk, CHUNK_MAX_BYTES } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { LineBatcher } from "./line_batches.ts";
import { jsonLineConverter, type LineConverter, parserLineConverter } from "./line_records.ts";
import type { StdinOptions } from "./options.ts";

/** Longest sample of an offending line quoted in a log message. */
const SAMPLE_CHARS = 200;

function sample(line: string): string {
  return JSON.stringify(line.length > SAMPLE_CHARS ? `${line.slice(0, SAMPLE_CHARS)}...` : line);
}

/**
 * `read`, or ABORTED once `signal` aborts, as {@link orAbort}; but when the signal has
 * already aborted, a read that has already completed still wins (nothing read is lost).
 */
function readOrAbort<T>(read: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  return signal.aborted ? Promise.race([read, Promise.resolve(ABORTED)]) : orAbort(read, signal);
}

/** Builds the line converter the options ask for; throws SyntaxError for an unknown parser. */
export function stdinConverter(options: StdinOptions, ctx: InputContext): LineConverter {
  if (options.parser === undefined || options.parser === "") {
    return jsonLineConverter((line) =>
      ctx.log.once(
        "debug",
        "stdin-invalid-json",
        `invalid JSON message, kept as {"log": line}: ${sample(line)}`,
      )
    );
  }
  const name = options.parser;
  const parser = ctx.parsers.get(name);
  if (!parser) {
    const known = ctx.parsers.names();
    throw new SyntaxError(
      `Cannot use parser "${name}": no parser has that name` +
        (known.length ? ` (defined: ${known.join(", ")})` : ""),
    );
  }
  return parserLineConverter(parser, (line) =>
    ctx.log.once(
      "warn",
      "stdin-parser-mismatch",
      `parser "${name}" did not match a line, kept as {"log": line} ` +
        `(further misses are counted, not logged): ${sample(line)}`,
    ));
}

/**
 * Starts a stdin input reading `source` (the process's stdin in production, any byte
 * stream in tests). The stream is not cancelled on abort, only released, so a reloaded
 * pipeline can read on from it.
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { collectChunks, testInputContext } from "../../../src/testing/input_context.ts";
 * import { stdinOptions } from "./options.ts";
 *
 * const source = ReadableStream.from([new TextEncoder().encode('{"a":1}\nplain\n')]);
 * const ctx = testInputContext({ name: "stdin.0" });
 * const input = createStdinInput(defaultsOf(stdinOptions), ctx, source);
 * const chunks = await collectChunks(input.chunks); // ends with the stream
 * const bodies = chunks.flatMap((c) => c.signal === "logs" ? c.records.map((r) => r.body) : []);
 * assertEquals(bodies, [{ a: 1 }, { log: "plain" }]);
 * ```
 */
export function createStdinInput(
  options: StdinOptions,
  ctx: InputContext,
  source: ReadableStream<Uint8Array>,
): InputInstance {
  const converter = stdinConverter(options, ctx);
  return { chunks: read(source, converter, ctx) };
}

async function* read(
  source: ReadableStream<Uint8Array>,
  converter: LineConverter,
  ctx: InputContext,
): AsyncGenerator<Chunk> {
  const { signal } = ctx;
  const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
  const batcher = new LineBatcher(CHUNK_MAX_BYTES);
  const reader = source.getReader();
  let first = true;
  let reason = "end of input";

  function toChunk(bytes: Uint8Array): Chunk {
    const records: LogRecord[] = [];
    converter.convert(decoder.decode(bytes), EventTime.now(), records);
    return ctx.chunk(records, { bytes: bytes.length });
  }

  function readAhead(): Promise<ReadableStreamReadResult<Uint8Array>> {
    const read = reader.read();
    read.catch(() => {}); // rejected when released on abort; awaited errors still throw
    return read;
  }

  try {
    let next: Promise<ReadableStreamReadResult<Uint8Array>> | null = readAhead();
    while (next) {
      // After an abort, a read that already completed is still used: nothing read is lost.
      const result = await readOrAbort(next, signal);
      if (result === ABORTED) {
        reason = "shutdown";
        break;
      }
      if (result.done) {
        ctx.log.info("end of file (stdin closed by remote end)");
        break;
      }
      // One read in flight while this one is parsed: the pipe fills while we work, and
      // at most one read (64 KiB from a pipe) waits beyond what the engine asked for.
      next = signal.aborted ? null : readAhead();
      let data = result.value;
      if (first && data.length > 0) {
        first = false;
        // A UTF-8 byte order mark at the start of input is not data.
        if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      }
      for (const batch of batcher.push(data)) {
        const chunk = toChunk(batch);
        if (chunk.records.length > 0) yield chunk;
      }
    }
    const tail = batcher.end();
    if (tail) {
      const chunk = toChunk(tail);
      if (chunk.records.length > 0) yield chunk;
    }
  } finally {
    // Released, not cancelled: the stream (process stdin) outlives this input.
    reader.releaseLock();
    if (converter.unparsed > 0) {
      ctx.log.info(`${converter.unparsed} lines were kept as {"log": line} (${reason})`);
    }
  }
}
