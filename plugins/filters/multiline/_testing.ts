/**
 * Test helpers for this folder: a fake clock with cancellable sleeps, a pushable
 * chunk source, and log chunks whose acks count their releases.
 */
import { Ack } from "../../../src/event/ack.ts";
import type { Chunk, LogChunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";

export { FakeClock } from "../../../src/testing/fake_clock.ts";

export { Channel } from "../../../src/testing/channel.ts";

/** An ack that counts `release` calls, to prove each source is released exactly once. */
export class CountingAck extends Ack {
  releases = 0;
  override release(): void {
    this.releases++;
    super.release();
  }
}

/** A log chunk of `{log: line}` records with a counting ack. */
export function logChunk(
  lines: string[],
  options: { tag?: string; input?: string } = {},
): LogChunk & { ack: CountingAck } {
  const records: LogRecord[] = lines.map((log) => ({
    time: new EventTime(1_700_000_000, 0),
    metadata: {},
    body: { log },
  }));
  return {
    signal: "logs",
    tag: options.tag ?? "app",
    input: options.input ?? "tail.0",
    records,
    bytes: 100,
    ack: new CountingAck(),
  };
}

/** Consumes a stage's output in the background. */
export function collect(out: AsyncIterable<Chunk>): { chunks: Chunk[]; done: Promise<void> } {
  const chunks: Chunk[] = [];
  const done = (async () => {
    for await (const c of out) chunks.push(c);
  })();
  return { chunks, done };
}

/** Lets pending promise callbacks and a timer turn run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
}

/** The `log` values of every record of `chunks`. */
export function logsOf(chunks: Chunk[]): unknown[] {
  return chunks.flatMap((c) => (c.records as LogRecord[]).map((r) => r.body.log));
}
