import { testFilterContext } from "../../../src/testing/filter_context.ts";
import { assertEquals, assertThrows } from "../../../src/testing/assert.ts";
import { fileURLToPath } from "node:url";
import { loadConfigFile } from "../../../src/config/load.ts";
import { opt } from "../../../src/config/options.ts";
import { resolveConfig } from "../../../src/config/resolve.ts";
import { Logger, memorySink } from "../../../src/engine/log.ts";
import { defineInput, defineOutput, makeRegistry } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { buildParserRegistry } from "../../../src/parsers/mod.ts";
import { plugin as stdout } from "../../outputs/stdout/mod.ts";
import { plugin } from "./mod.ts";
import { groupEnd, groupStart, logChunk, modifier, record } from "./_testing.ts";

const DIR = fileURLToPath(new URL("../../../testdata/content_modifier/", import.meta.url));

async function* none(): AsyncGenerator<never> {}

/** The real content_modifier with stand-ins for the opentelemetry plugins (written elsewhere). */
const registry = makeRegistry([
  defineInput({
    name: "opentelemetry",
    description: "stand-in",
    example: { options: {}, feed: { kind: "generates", records: 0 } },
    signals: ["logs", "traces", "metrics"],
    options: {
      port: opt.int(4318, "Port"),
      http2: opt.bool(true, "HTTP/2"),
      tls: opt.bool(false, "TLS"),
    },
    create: () => ({ chunks: none() }),
  }),
  defineOutput({
    name: "opentelemetry",
    description: "stand-in",
    example: { options: {} },
    options: { host: opt.string("127.0.0.1", "Host"), port: opt.int(4318, "Port") },
    create: () => ({ write: () => Promise.resolve() }),
  }),
  plugin,
  stdout,
]);

Deno.test("content_modifier: the integration test's five processors edit the OTLP resource and scope", async () => {
  const raw = await loadConfigFile(`${DIR}fb-it-in_opentelemetry__otlp_http1_cleartext.yaml`, {
    env: {
      FLUENT_BIT_HTTP_MONITORING_PORT: "2020",
      FLUENT_BIT_TEST_LISTENER_PORT: "4318",
      TEST_SUITE_HTTP_PORT: "8080",
    },
  });
  const chain = resolveConfig(raw, registry).inputs[0]!.processors.logs;
  assertEquals(chain.length, 5);
  const steps = await Promise.all(
    chain.map((p) =>
      p.plugin.create(
        p.options,
        testFilterContext({
          name: p.name,
          log: new Logger({ sink: memorySink() }),
          parsers: buildParserRegistry([]),
        }),
      )
    ),
  );
  const g = groupStart({
    resource: { attributes: { "service.name": "svc", "host.name": "h" } },
    scope: { name: "old", version: "1.0.0" },
  });
  const r = record({ message: "hello" }, { otlp: { severity_number: 9 } });
  let chunk: Chunk = logChunk([g, r, groupEnd()]);
  for (const s of steps) chunk = s.process!(chunk)!;
  assertEquals(g.body, {
    resource: { attributes: { "host.name": "h", aaa: "bbb" } },
    scope: { name: "new scope name", version: "3.1.0", attributes: { mynewscope: "123" } },
  });
  assertEquals(r.body, { message: "hello" });
  assertEquals(r.metadata, { otlp: { severity_number: 9 } });
});

Deno.test("content_modifier: create explains what a section lacks or gets wrong", () => {
  const bad = (values: Record<string, string>, text: string) =>
    assertThrows(() => modifier(values), RangeError, text);
  bad({ key: "k" }, '"action" is required');
  bad({ action: "upsert" }, 'action upsert needs "key"');
  bad({ action: "upsert", key: "k" }, 'action upsert needs "value"');
  bad({ action: "rename", key: "k" }, 'action rename needs "value"');
  bad({ action: "extract", key: "k" }, 'action extract needs "pattern"');
  bad({ action: "extract", key: "k", pattern: "(" }, "Cannot compile regex");
  bad({ action: "extract", key: "k", pattern: "(a)" }, "has no named group");
  bad({ action: "convert", key: "k" }, 'needs "converted_type"');
  bad({ action: "upsert", key: "k", value: "v", pattern: "x" }, "only used by action extract");
  bad(
    { action: "rename", context: "otel_scope_name", value: "x" },
    "not allowed for context otel_scope_name",
  );
  bad(
    { action: "convert", context: "span_kind", converted_type: "int" },
    "not allowed for context span_kind",
  );
  bad(
    { action: "upsert", context: "otel_scope_version", key: "name", value: "x" },
    'works on the key "version"',
  );
  bad(
    { action: "upsert", context: "span_status", key: "state", value: "OK" },
    "key code or message",
  );
  bad({ action: "upsert", context: "span_status", value: "FINE" }, "status code");
  bad({ action: "upsert", context: "nowhere", key: "k", value: "v" }, "unknown context");
});

Deno.test("content_modifier: context names are case-insensitive and aliases work", () => {
  const r = record({ a: 1 }, { m: 1 });
  modifier({ action: "upsert", context: "Message", key: "k", value: "v" }).process(logChunk([r]));
  modifier({ action: "upsert", context: "ATTRIBUTES", key: "k", value: "v" }).process(
    logChunk([r]),
  );
  assertEquals(r.body, { a: 1, k: "v" });
  assertEquals(r.metadata, { m: 1, k: "v" });
});
