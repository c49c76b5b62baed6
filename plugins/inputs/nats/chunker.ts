/**
 * Messages to chunks: each message decoded, consecutive messages of one signal and tag
 * joined into one chunk (a message's records never span two chunks, so a chunk's ack covers
 * whole messages). Bad payloads are counted and logged once with a sample, and their
 * messages returned as skipped (the caller acks them: reading them again cannot help).
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { InputContext } from "../../../src/plugin.ts";
import { type Decoded, decodeMessage } from "./decode.ts";

/** The header name of a message's signal, as sluice's nats output writes it. */
const SIGNAL_HEADER = "Sluice-Signal";

/** Headers as the client gives them: a lookup by name. */
export interface HeaderLookup {
  get(name: string): string;
}

/** A chunk and the messages it holds. */
export interface MessageChunk<M> {
  chunk: Chunk;
  items: M[];
}

/** Builds chunks from batches of messages. */
export interface MessageChunker {
  chunks<M>(
    msgs: readonly M[],
    data: (m: M) => Uint8Array,
    headers: (m: M) => HeaderLookup | undefined,
  ): { chunks: MessageChunk<M>[]; skipped: M[] };
}

/** A chunker for `ctx`, tagging by payload when `useTag`. */
export function messageChunker(ctx: InputContext, useTag: boolean): MessageChunker {
  const malformed = ctx.metrics.counter(
    "sluice_input_malformed_records_total",
    "Messages a network input could not turn into a record (invalid JSON, a bare scalar).",
  );
  return {
    chunks(msgs, data, headers) {
      const now = EventTime.now();
      const out: MessageChunk<(typeof msgs)[number]>[] = [];
      const skipped: (typeof msgs)[number][] = [];
      let open:
        | { key: string; decoded: Decoded[]; items: (typeof msgs)[number][]; bytes: number }
        | undefined;
      const close = () => {
        if (!open) return;
        const first = open.decoded[0]!;
        const records = open.decoded.flatMap((d) => d.records as unknown[]);
        const tag = first.signal === "logs" && first.tag !== undefined ? first.tag : ctx.tag;
        const chunk = ctx.signalChunk(first.signal, records as never, { tag, bytes: open.bytes });
        out.push({ chunk, items: open.items });
        open = undefined;
      };
      for (const m of msgs) {
        const payload = data(m);
        let decoded: Decoded;
        try {
          decoded = decodeMessage(payload, {
            signal: headers(m)?.get(SIGNAL_HEADER) || undefined,
            useTag,
            now,
          });
        } catch (e) {
          malformed.inc({ name: ctx.name });
          const text = new TextDecoder().decode(payload.subarray(0, 200));
          ctx.log.once(
            "warn",
            "nats-malformed",
            `cannot decode a NATS message, skipping (further ones are counted, not logged): ${e}: ${
              JSON.stringify(text)
            }`,
          );
          skipped.push(m);
          continue;
        }
        const key = decoded.signal + "\n" + (decoded.signal === "logs" ? decoded.tag ?? "" : "");
        if (open && open.key !== key) close();
        open ??= { key, decoded: [], items: [], bytes: 0 };
        open.decoded.push(decoded);
        open.items.push(m);
        open.bytes += payload.length;
      }
      close();
      return { chunks: out, skipped };
    },
  };
}
