/**
 * Fuzzing the opentelemetry input: mutated protobuf and JSON payloads (bit flips, byte
 * edits, cuts, splices, JSON values swapped for wrong types) from a seeded RNG. In process,
 * 100,000 go straight to the request handler; a smaller number go over real HTTP to a sluice
 * process. Every answer must be 2xx or 4xx, and sluice must keep running and exit cleanly.
 * Reproduce a failure with SLUICE_FUZZ_SEED (printed on failure); SLUICE_FUZZ_ITERATIONS
 * changes the count.
 */
import type { Signal } from "../src/event/chunk.ts";
import {
  decodeLogs,
  decodeMetrics,
  decodeTraces,
  encodeLogs,
  encodeMetrics,
  encodeTraces,
  type OtlpFormat,
} from "../src/otlp/mod.ts";
import { assert, assertEquals } from "../src/testing/assert.ts";
import { defaultsOf } from "../src/config/options.ts";
import { testInputContext } from "../src/testing/input_context.ts";
import { post } from "../src/testing/request.ts";
import { otlpInputOptions } from "../plugins/inputs/opentelemetry/options.ts";
import { OtlpReceiver } from "../plugins/inputs/opentelemetry/receiver.ts";
import { inputSettings } from "../plugins/inputs/opentelemetry/settings.ts";
import { freePort, ROOT } from "./_helpers.ts";
import { postOtlp, startSluice, waitListening } from "./_otlp_helpers.ts";

const SEED = Number(Deno.env.get("SLUICE_FUZZ_SEED") ?? 0x5eed_0715);
const ITERATIONS = Number(Deno.env.get("SLUICE_FUZZ_ITERATIONS") ?? 100_000);
const HTTP_REQUESTS = 2_000;
const DATA = `${ROOT}testdata/otlp`;

/** mulberry32: a small, fast, seedable PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Seed {
  signal: Signal;
  format: OtlpFormat;
  bytes: Uint8Array;
  json?: unknown;
}

const enc = new TextEncoder();

function seeds(): Seed[] {
  const out: Seed[] = [];
  const add = (signal: Signal, json: unknown): void => {
    const bytes = enc.encode(JSON.stringify(json));
    out.push({ signal, format: "json", bytes, json });
    try {
      const proto = signal === "traces"
        ? encodeTraces(decodeTraces(bytes, "json"), "protobuf")
        : signal === "logs"
        ? encodeLogs(decodeLogs(bytes, "json"), "protobuf")
        : encodeMetrics(decodeMetrics(bytes, "json"), "protobuf");
      out.push({ signal, format: "protobuf", bytes: proto });
    } catch {
      // an invalid vector: kept as a JSON seed only
    }
  };
  for (const name of [...Deno.readDirSync(DATA)].map((e) => e.name).sort()) {
    if (!name.endsWith(".json")) continue;
    const text = JSON.parse(Deno.readTextFileSync(`${DATA}/${name}`));
    const signal: Signal = /trace/.test(name) ? "traces" : /metric/.test(name) ? "metrics" : "logs";
    if (name.startsWith("fb-tests-internal-")) {
      for (const v of Object.values(text as Record<string, { input: unknown }>)) {
        add(signal, v.input);
      }
    } else add(signal, text);
  }
  return out;
}

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x22, 0x2a];
const JSON_VALUES: unknown[] = [
  null,
  "",
  "zz",
  "0102",
  -1,
  1.5,
  "18446744073709551616",
  "-9223372036854775809",
  1e308,
  true,
  [],
  {},
  [[[[[[[[[[]]]]]]]]]],
  { stringValue: 5 },
  { intValue: "x" },
  "STATUS_CODE_NOPE",
];

/** A random byte-level mutation of `b`. */
function mutateBytes(b: Uint8Array, r: () => number, other: Uint8Array): Uint8Array {
  const n = b.length;
  const at = Math.floor(r() * Math.max(1, n));
  const span = 1 + Math.floor(r() * Math.min(64, Math.max(1, n)));
  switch (Math.floor(r() * 8)) {
    case 0: { // flip a bit
      const c = b.slice();
      if (n > 0) c[at]! ^= 1 << Math.floor(r() * 8);
      return c;
    }
    case 1: { // set an interesting byte
      const c = b.slice();
      if (n > 0) c[at] = INTERESTING[Math.floor(r() * INTERESTING.length)]!;
      return c;
    }
    case 2: // delete a range
      return new Uint8Array([...b.subarray(0, at), ...b.subarray(at + span)]);
    case 3: { // insert random bytes
      const ins = Uint8Array.from({ length: span }, () => Math.floor(r() * 256));
      return new Uint8Array([...b.subarray(0, at), ...ins, ...b.subarray(at)]);
    }
    case 4: // duplicate a range
      return new Uint8Array([...b.subarray(0, at + span), ...b.subarray(at)]);
    case 5: // truncate
      return b.slice(0, at);
    case 6: { // splice the head of one seed onto the tail of another
      const cut = Math.floor(r() * other.length);
      return new Uint8Array([...b.subarray(0, at), ...other.subarray(cut)]);
    }
    default: { // a varint byte gets its continuation bit
      const c = b.slice();
      if (n > 0) c[at]! |= 0x80;
      return c;
    }
  }
}

/** Replaces one random node of a JSON document with a wrong-typed value, or drops a key. */
function mutateJson(doc: unknown, r: () => number): unknown {
  const copy = structuredClone(doc);
  const nodes: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        nodes.push([v, i]);
        walk(x);
      });
    } else if (v !== null && typeof v === "object") {
      for (const k of Object.keys(v)) {
        nodes.push([v as Record<string, unknown>, k]);
        walk((v as Record<string, unknown>)[k]);
      }
    }
  };
  walk(copy);
  if (nodes.length === 0) return JSON_VALUES[Math.floor(r() * JSON_VALUES.length)];
  const [parent, key] = nodes[Math.floor(r() * nodes.length)]!;
  if (r() < 0.15 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
  else {
    (parent as Record<string | number, unknown>)[key] =
      JSON_VALUES[Math.floor(r() * JSON_VALUES.length)];
  }
  return copy;
}

/** One fuzzed request: its path, content type and body. */
function fuzzCase(all: Seed[], r: () => number): { path: string; type: string; body: Uint8Array } {
  const s = all[Math.floor(r() * all.length)]!;
  let body: Uint8Array;
  if (s.json !== undefined && r() < 0.4) body = enc.encode(JSON.stringify(mutateJson(s.json, r)));
  else {
    body = s.bytes;
    const rounds = 1 + Math.floor(r() * 3);
    for (let i = 0; i < rounds; i++) {
      body = mutateBytes(body, r, all[Math.floor(r() * all.length)]!.bytes);
    }
  }
  const signal = r() < 0.05
    ? (["traces", "logs", "metrics"] as const)[Math.floor(r() * 3)]
    : s.signal;
  const format = r() < 0.05 ? (s.format === "json" ? "protobuf" : "json") : s.format;
  const type = format === "json" ? "application/json" : "application/x-protobuf";
  return { path: `/v1/${signal}`, type, body };
}

Deno.test(`the opentelemetry input's handler answers ${ITERATIONS} mutated payloads with 2xx or 4xx`, async () => {
  const r = rng(SEED);
  const all = seeds();
  assert(all.length > 100, `${all.length} seeds`);
  // The handler alone, with an engine that takes and acknowledges every chunk.
  const ctx = testInputContext({ name: "opentelemetry.0" });
  const receiver = new OtlpReceiver(inputSettings(defaultsOf(otlpInputOptions)).receiver, ctx);
  const engine = (async () => {
    for await (const c of receiver.chunks()) c.ack.release();
  })();
  const statuses = new Map<number, number>();
  try {
    for (let i = 0; i < ITERATIONS; i++) {
      const c = fuzzCase(all, r);
      const res = await receiver.handle(post(c.path, c.body, { "content-type": c.type }));
      await res.body?.cancel();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (!(res.status >= 200 && res.status < 300) && !(res.status >= 400 && res.status < 500)) {
        throw new Error(
          `case ${i} (SLUICE_FUZZ_SEED=${SEED}) got ${res.status} for ${c.path} ${c.type}: ` +
            JSON.stringify(Array.from(c.body.subarray(0, 200))),
        );
      }
    }
  } finally {
    receiver.close();
    await engine;
  }
  assert((statuses.get(201) ?? 0) > ITERATIONS / 100, `some accepted: ${[...statuses]}`);
  assert((statuses.get(400) ?? 0) > ITERATIONS / 100, `some rejected: ${[...statuses]}`);
  assertEquals(statuses.get(503), undefined);
});

Deno.test(`a sluice process answers ${HTTP_REQUESTS} mutated payloads over HTTP and stays up`, async () => {
  const r = rng(SEED ^ 0x9e3779b9);
  const all = seeds();
  const port = freePort();
  const sluice = await startSluice(`
pipeline:
  inputs:
    - name: opentelemetry
      listen: 127.0.0.1
      port: ${port}
  outputs:
    - name: 'null'
      match: '*'
`);
  try {
    await waitListening(port);
    const cases = Array.from({ length: HTTP_REQUESTS }, () => fuzzCase(all, r));
    let next = 0;
    const bad: string[] = [];
    const client = async (): Promise<void> => {
      while (next < cases.length) {
        const c = cases[next++]!;
        const res = await postOtlp(port, c.path, {
          body: c.body,
          headers: { "content-type": c.type },
        });
        if (res.status >= 500) bad.push(`${res.status} ${c.path}: ${res.text}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    assertEquals(bad, []);
    const ok = await postOtlp(
      port,
      "/v1/traces",
      { body: Deno.readFileSync(`${DATA}/fb-it-in_opentelemetry__test_traces_001.in.json`) },
    );
    assertEquals(ok.status, 201, "still serving");
  } finally {
    assertEquals(await sluice.stop(), 0, sluice.stderr.join("\n"));
  }
});
