/** Helpers for the opentelemetry output's tests: a scripted OTLP receiver, options, chunks. */
import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { defaultsOf } from "../../../src/config/options.ts";
import { Ack } from "../../../src/event/ack.ts";
import type { PluginContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import { GROUP_END, GROUP_START, type LogRecord } from "../../../src/event/log_record.ts";
import { type OtlpOutputOptions, otlpOutputOptions } from "./options.ts";

/** One request the test receiver got. */
export interface Received {
  path: string;
  headers: Headers;
  body: Uint8Array;
}

/** A receiver on 127.0.0.1 answering each request with `answer` (its 1-based number). */
export interface TestReceiver {
  port: number;
  requests: Received[];
  close(): Promise<void>;
}

/** Starts a test receiver. */
export function testReceiver(
  answer: (n: number, req: Received) => Response = () => new Response(null, { status: 200 }),
): TestReceiver {
  const requests: Received[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      const r = {
        path: new URL(req.url).pathname,
        headers: req.headers,
        body: new Uint8Array(await req.arrayBuffer()),
      };
      requests.push(r);
      return answer(requests.length, r);
    },
  );
  return { port: server.addr.port, requests, close: () => server.shutdown() };
}

/** Output options: the defaults with `overrides`. */
export function outputOptions(overrides: Partial<OtlpOutputOptions> = {}): OtlpOutputOptions {
  return { ...defaultsOf(otlpOutputOptions), ...overrides };
}

/** A plugin context whose log lines the test can read. */
export function outputContext(): PluginContext & { lines: string[] } {
  const ctx = testFilterContext({ name: "opentelemetry.0" });
  return { ...ctx, lines: ctx.logLines };
}

/** A chunk of `signal` holding `records`. */
export function chunkOf<C extends Chunk>(signal: C["signal"], records: C["records"]): C {
  return { signal, tag: "t", records, bytes: 100, ack: new Ack(), input: "in.0" } as C;
}

/** A GROUP_START record as the opentelemetry input writes it. */
export function groupStart(service: string, ids: { resource: number; scope: number }): LogRecord {
  const resourceId = ids.resource;
  const scopeId = ids.scope;
  return {
    time: GROUP_START,
    metadata: { schema: "otlp", resource_id: resourceId, scope_id: scopeId },
    body: {
      resource: { attributes: { "service.name": service } },
      scope: { name: `scope-${scopeId}`, version: "1.0" },
    },
  };
}

/** A GROUP_END record. */
export function groupEnd(): LogRecord {
  return { time: GROUP_END, metadata: {}, body: {} };
}

/** An OTLP-laid-out log record with a string body. */
export function otlpLog(n: number, text = `line ${n}`): LogRecord {
  return {
    time: new EventTime(1_700_000_000 + n, 0),
    metadata: { otlp: { severity_number: 9, severity_text: "INFO" } },
    body: { log: text },
  };
}
