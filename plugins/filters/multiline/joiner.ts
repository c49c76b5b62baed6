/** What the multiline stage holds records with: the multiline assembler or the partial joiner. */
import type { LogRecord } from "../../../src/event/log_record.ts";

/** A completed record and the tokens of the records it was made of (one per record). */
export interface Joined<T> {
  stream: string;
  record: LogRecord;
  tokens: readonly T[];
  truncated: boolean;
}

/** What joins records: the multiline assembler, or the partial_message joiner. */
export interface Joiner<T> {
  push(stream: string, record: LogRecord, options: { token?: T }): readonly Joined<T>[];
  flushExpired(): readonly Joined<T>[];
  flush(): readonly Joined<T>[];
  /** When the oldest held record times out, on the clock's scale. */
  nextDeadline(): number | undefined;
}
