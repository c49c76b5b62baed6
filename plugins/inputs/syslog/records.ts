/**
 * Syslog messages to log records, as Fluent Bit's syslog input makes them: the parser's
 * fields are the body, its time the record time (the receive time when it gives none),
 * then `raw_message_key` (the bytes received) and `source_address_key` are added. Unlike
 * Fluent Bit, a message the parser does not match is kept as `{"message": text}` rather
 * than dropped, and bytes that are not UTF-8 become U+FFFD; both are counted.
 */
import type { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord, RecordMap } from "../../../src/event/log_record.ts";
import type { Parser } from "../../../src/parsers/types.ts";

/** What the converter reports about malformed messages. */
export interface RecordHooks {
  /** A message the parser did not match (it is kept as `{"message": text}`). */
  onUnmatched?(text: string): void;
  /** A message that was not valid UTF-8 (its bad bytes are now U+FFFD). */
  onInvalidUtf8?(text: string): void;
}

/** How records are built. */
export interface RecordSettings {
  /** The parser of every message. */
  parser: Parser;
  /** Key to add holding the message as received, as binary. */
  rawMessageKey?: string;
  /** Key to add holding the sender (`tcp://ip:port`, `udp://...`, `unix://path`). */
  sourceAddressKey?: string;
}

/** Turns batches of messages into records, counting the malformed ones. */
export interface RecordConverter {
  /** Appends one record per message of `messages`, all from `peer`, received at `time`. */
  convert(messages: readonly Uint8Array[], batch: BatchInfo, out: LogRecord[]): void;
  /** Messages the parser did not match, so far. */
  readonly unmatched: number;
  /** Messages that were not valid UTF-8, so far. */
  readonly invalidUtf8: number;
}

/** Where and when a batch of messages came from. */
export interface BatchInfo {
  /** The sender, as `source_address_key` writes it. */
  peer: string;
  /** The receive time, for messages whose parser gives no time. */
  time: EventTime;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * The texts of `messages` from one decode of the bytes they span, when they lie in order in
 * one buffer and are all ASCII (so byte and character offsets agree); null otherwise. One
 * decode per read instead of one per message: the per-call cost dominates short lines.
 */
function decodeSpan(messages: readonly Uint8Array[]): string[] | null {
  if (messages.length < 2) return null;
  const first = messages[0]!;
  const buffer = first.buffer;
  let end = first.byteOffset;
  for (const m of messages) {
    if (m.buffer !== buffer || m.byteOffset < end) return null;
    end = m.byteOffset + m.length;
  }
  const start = first.byteOffset;
  let text: string;
  try {
    text = strict.decode(new Uint8Array(buffer, start, end - start));
  } catch {
    return null; // not UTF-8 somewhere: each message is decoded (and counted) on its own
  }
  if (text.length !== end - start) return null;
  return messages.map((m) => text.slice(m.byteOffset - start, m.byteOffset - start + m.length));
}

/**
 * A converter for `settings`.
 *
 * @example
 * ```ts
 * import { EventTime } from "../../../src/event/event_time.ts";
 * import type { LogRecord } from "../../../src/event/log_record.ts";
 * import { buildParserRegistry } from "../../../src/parsers/mod.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const parser = buildParserRegistry([]).get("syslog-rfc5424")!;
 * const converter = recordConverter({ parser, sourceAddressKey: "src" }, {});
 * const out: LogRecord[] = [];
 * const message = new TextEncoder().encode("<13>1 2023-11-14T22:13:20.5Z h app 42 - - hello");
 * converter.convert([message], { peer: "udp://127.0.0.1:5000", time: EventTime.now() }, out);
 * assertEquals(out[0]!.body.message, "hello");
 * assertEquals(out[0]!.body.src, "udp://127.0.0.1:5000");
 * ```
 */
export function recordConverter(settings: RecordSettings, hooks: RecordHooks): RecordConverter {
  const { parser, rawMessageKey, sourceAddressKey } = settings;
  let unmatched = 0;
  let invalidUtf8 = 0;

  function decode(message: Uint8Array): string {
    try {
      return strict.decode(message);
    } catch {
      invalidUtf8++;
      const text = lenient.decode(message);
      hooks.onInvalidUtf8?.(text);
      return text;
    }
  }

  return {
    get unmatched() {
      return unmatched;
    },
    get invalidUtf8() {
      return invalidUtf8;
    },
    convert(messages, batch, out) {
      const texts = decodeSpan(messages);
      for (let i = 0; i < messages.length; i++) {
        const message = messages[i]!;
        const text = texts ? texts[i]! : decode(message);
        const result = parser.parse(text);
        let body: RecordMap;
        let time = batch.time;
        if (result) {
          body = result.body;
          if (result.time) time = result.time;
        } else {
          unmatched++;
          hooks.onUnmatched?.(text);
          // A datagram's trailing newline is not part of the message (as `$` leaves it out).
          body = { message: text.endsWith("\n") ? text.slice(0, -1) : text };
        }
        if (rawMessageKey !== undefined) body[rawMessageKey] = message.slice();
        if (sourceAddressKey !== undefined) body[sourceAddressKey] = batch.peer;
        out.push({ time, metadata: {}, body });
      }
    },
  };
}
