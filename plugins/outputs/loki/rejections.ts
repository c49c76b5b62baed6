/**
 * Reads which entries Loki refused from its answer to a push: an ingester that drops
 * some entries of a stream (out of order, too far behind, per-stream rate limit) keeps the
 * others and answers 400 or 429 with one line per refused entry,
 * `entry with timestamp 2023-11-14 22:13:20.5 +0000 UTC ignored, reason: '...',`, and a
 * last line `user 'T', total ignored: N out of M for stream: {labels}`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const body = "entry with timestamp 2023-11-14 22:13:20.5 +0000 UTC ignored, " +
 *   "reason: 'entry out of order',\nuser 'fake', total ignored: 1 out of 2 for stream: {job=\"a\"}";
 * const r = parseIgnored(body)!;
 * assertEquals(r.stream, '{job="a"}');
 * assertEquals(r.entries, [{ ns: "1700000000500000000", reason: "entry out of order" }]);
 * assertEquals([r.ignored, r.total], [1, 2]);
 * ```
 */
import type { LokiRequest } from "./payload.ts";

/** The refused entries Loki listed for one stream. */
export interface IgnoredEntries {
  stream: string;
  entries: { ns: string; reason: string }[];
  ignored: number;
  total: number;
}

const ENTRY =
  /entry with timestamp (\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([+-])(\d\d)(\d\d) [^\n]*? ignored, reason: '([^\n]*)',?\s*$/gm;
const TRAILER = /total ignored: (\d+) out of (\d+) for stream: (\{.*\})\s*$/m;

/** Go's `time.Time.String()` form back to epoch nanoseconds, as text. */
function nanos(m: RegExpExecArray): string {
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
  let sec = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) /
    1000;
  const offset = (Number(oh) * 3600 + Number(om) * 60) * (sign === "-" ? -1 : 1);
  sec -= offset;
  const ns = (frac ?? "").padEnd(9, "0");
  return sec > 0 ? `${sec}${ns}` : String(Number(ns));
}

/** The refused entries in `body`, or undefined when it is not that kind of answer. */
export function parseIgnored(body: string): IgnoredEntries | undefined {
  const trailer = TRAILER.exec(body);
  if (!trailer) return undefined;
  const entries: { ns: string; reason: string }[] = [];
  for (const m of body.matchAll(ENTRY)) {
    entries.push({ ns: nanos(m as RegExpExecArray), reason: m[11]! });
  }
  return {
    stream: trailer[3]!,
    entries,
    ignored: Number(trailer[1]),
    total: Number(trailer[2]),
  };
}

/** Refused records of a request by chunk index, each with Loki's reason. */
export interface Refusal {
  index: number;
  reason: string;
}

/**
 * The records of `request` Loki refused, when its answer names every one of them: the
 * request held one stream, that stream, and all ignored entries are listed. Undefined
 * otherwise (the caller treats the whole request as refused).
 */
export function refusedRecords(request: LokiRequest, body: string): Refusal[] | undefined {
  const parsed = parseIgnored(body);
  if (!parsed || request.streams.length !== 1) return undefined;
  const stream = request.streams[0]!;
  if (stream.labels !== parsed.stream) return undefined;
  if (parsed.entries.length !== parsed.ignored || parsed.total !== stream.entries.length) {
    return undefined;
  }
  // Entries sharing a timestamp: the ones behind an earlier, newer entry of the request
  // are the likely refused ones, so they are matched first.
  const free = new Map<string, number[]>();
  let newest = -1n;
  const behind: { ns: string; index: number }[] = [];
  const inOrder: { ns: string; index: number }[] = [];
  for (const e of stream.entries) {
    const ns = BigInt(e.ns);
    (ns < newest ? behind : inOrder).push(e);
    if (ns > newest) newest = ns;
  }
  for (const e of [...behind, ...inOrder]) {
    const list = free.get(e.ns);
    if (list) list.push(e.index);
    else free.set(e.ns, [e.index]);
  }
  const out: Refusal[] = [];
  for (const e of parsed.entries) {
    const index = free.get(e.ns)?.shift();
    if (index === undefined) return undefined;
    out.push({ index, reason: e.reason });
  }
  return out.sort((a, b) => a.index - b.index);
}
