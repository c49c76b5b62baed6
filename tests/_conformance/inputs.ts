/**
 * The conformance run of an input: its example's feed written (a file) or sent (HTTP
 * requests, TCP connections (text or raw bytes) or UDP datagrams to the port it listens on) or piped (stdin,
 * in a child process), its chunks
 * pulled until it ends, or until the feed's records came and the test aborts it; closed
 * twice. Every chunk must carry a fresh ack, unsettled, that settles when released once;
 * the records yielded must be the feed's.
 */
import type { Ack } from "../../src/event/ack.ts";
import type { InputPlugin } from "../../src/plugin.ts";
import type { TestInputContext } from "../../src/testing/input_context.ts";
import { within } from "../../src/testing/until.ts";
import { fill, type Placeholders } from "./example.ts";
import { sendDatagrams, sendOnConnections } from "./sockets.ts";
import { appendJournal } from "../_journal.ts";
import { publishToStream } from "../_nats.ts";

/** What an input's run counted, and what broke the contract. */
export interface InputCounts {
  records: number;
  chunks: number;
  problems: string[];
}

/** The port of a listening input, e.g. the http, opentelemetry, tcp and udp inputs. */
function listening(inst: object): Promise<number> | undefined {
  const l = (inst as { listening?: unknown }).listening;
  return l instanceof Promise ? l : undefined;
}

/** Runs input `p` with `options` on its example's feed; counts what it yields. */
export async function runInput(
  p: InputPlugin,
  options: Record<string, unknown>,
  ctx: TestInputContext,
  env: Placeholders,
): Promise<InputCounts> {
  const feed = p.example.feed;
  if (feed.kind === "file") await Deno.writeTextFile(fill(feed.path, env), feed.text);
  if (feed.kind === "journal") {
    const dir = fill(feed.path, env);
    await Deno.mkdir(dir, { recursive: true });
    await appendJournal(`${dir}/feed.journal`, feed.text);
  }
  if (feed.kind === "nats") await publishToStream(env.natsPort ?? 0, feed);
  const inst = await p.create(options, ctx);
  const counts: InputCounts = { records: 0, chunks: 0, problems: [] };
  const seen = new Set<Ack>();
  const pulled = (async () => {
    for await (const c of inst.chunks) {
      counts.chunks++;
      counts.records += c.records.length;
      if (seen.has(c.ack)) counts.problems.push(`chunk ${counts.chunks} reuses an ack`);
      if (c.ack.settled) counts.problems.push(`chunk ${counts.chunks}'s ack is already settled`);
      seen.add(c.ack);
      c.ack.release();
      if (!c.ack.settled) {
        counts.problems.push(`chunk ${counts.chunks}'s ack does not settle when released`);
      }
      if (counts.records >= feed.records && feed.kind !== "file" && feed.kind !== "generates") {
        ctx.controller.abort();
      }
    }
  })();
  if (feed.kind === "tcp" || feed.kind === "udp" || feed.kind === "http") {
    const port = listening(inst);
    if (!port) {
      throw new TypeError(`input "${p.name}" has a ${feed.kind} feed but no "listening" port`);
    }
    const bound = await within(port, "the input to listen");
    if (feed.kind === "tcp") {
      await sendOnConnections(bound, feed.payloads.map((t) => fill(t, env)));
    } else if (feed.kind === "udp") {
      await sendDatagrams(bound, feed.datagrams.map((t) => fill(t, env)));
    } else await postAll(`http://127.0.0.1:${bound}`, feed.requests, env, counts);
  }
  if (feed.kind === "bytes") {
    const port = listening(inst);
    if (!port) throw new TypeError(`input "${p.name}" has a bytes feed but no "listening" port`);
    const at = await within(port, "the input to listen");
    for (const hex of feed.payloads) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: at });
      const bytes = new Uint8Array(hex.match(/../g)!.map((h) => parseInt(h, 16)));
      let off = 0;
      while (off < bytes.length) off += await conn.write(bytes.subarray(off));
      conn.close();
    }
  }
  // an interval input fed no records (thermal on a host without sensors) is stopped at once
  if (feed.kind === "interval" && feed.records === 0) ctx.controller.abort();
  try {
    await within(pulled, `input "${p.name}" to end after its feed (${feed.records} records)`, {
      timeout: 10_000,
    });
  } finally {
    ctx.controller.abort();
    await inst.close?.();
    await inst.close?.();
  }
  return counts;
}

/** POSTs each of `requests` to `base`; a non-2xx answer is a problem. */
async function postAll(
  base: string,
  requests: readonly { path: string; contentType: string; body: string }[],
  env: Placeholders,
  counts: InputCounts,
): Promise<void> {
  for (const r of requests) {
    const res = await fetch(base + r.path, {
      method: "POST",
      headers: { "content-type": r.contentType },
      body: fill(r.body, env),
    });
    const text = await res.text();
    if (!res.ok) counts.problems.push(`POST ${r.path} answered ${res.status}: ${text}`);
  }
}
