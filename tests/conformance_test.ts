/**
 * Every registered plugin passes the same checks: it exports an example; its option table
 * is well-formed and its defaults parse as their own type; unknown keys are rejected with
 * a did-you-mean; and, for every signal it takes, it is created from its example, fed,
 * closed and closed again with every record accounted for (inputs: each chunk a fresh ack
 * that settles when released, the feed's records yielded; filters and processors: each
 * source ack settled exactly once, dropped or after its records were released downstream;
 * outputs: every record delivered through the engine's output runner). No list of plugins:
 * the registry is iterated.
 */
import { testFilterContext } from "../src/testing/filter_context.ts";
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { ConfigError } from "../src/config/model.ts";
import { parseValue } from "../src/config/options.ts";
import { resolveConfig } from "../src/config/resolve.ts";
import { type Plugin, type PluginContext, signalsOf } from "../src/plugin.ts";
import type { Signal } from "../src/event/chunk.ts";
import { buildParserRegistry } from "../src/parsers/mod.ts";
import { registry } from "../plugins/registry.ts";
import { testInputContext } from "../src/testing/input_context.ts";
import { TcpReceiver } from "../src/testing/tcp_receiver.ts";
import { UdpReceiver } from "../src/testing/udp_receiver.ts";
import { until } from "../src/testing/until.ts";
import {
  exampleValues,
  missingExample,
  type Placeholders,
  rawWith,
} from "./_conformance/example.ts";
import { type InputCounts, runInput } from "./_conformance/inputs.ts";
import { checkOutput } from "./_conformance/outputs.ts";
import { checkTransform } from "./_conformance/transforms.ts";
import { startForwardReceiver } from "../src/testing/forward_receiver.ts";
import { NO_POSTGRES, PostgresServer } from "../src/testing/postgres_server.ts";
import { NatsServer, NO_NATS } from "../src/testing/nats_server.ts";

const tmp = await Deno.makeTempDir({ prefix: "sluice_conformance_" });

// AWS outputs sign with keys from the environment: test keys, and no EC2 metadata lookups.
Deno.env.set("AWS_ACCESS_KEY_ID", "AKIDCONFORMANCE");
Deno.env.set("AWS_SECRET_ACCESS_KEY", "conformance-secret");
Deno.env.set("AWS_EC2_METADATA_DISABLED", "true");

/** A local endpoint answering 200 to every request, for outputs that send over HTTP. */
const httpSink = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  await req.arrayBuffer();
  const path = new URL(req.url).pathname;
  // Bulk APIs (es, opensearch) and OAuth token endpoints (stackdriver) answer with a body.
  if (path.endsWith("/_bulk")) return Response.json({ took: 1, errors: false, items: [] });
  // Metrics inputs with a `scrapes` feed (prometheus_scrape) read two families here.
  if (path === "/metrics") {
    return new Response("# TYPE up gauge\nup 1\n# TYPE hits_total counter\nhits_total 3\n");
  }
  if (path.endsWith("/token")) {
    return Response.json({ access_token: "conformance", expires_in: 3600, token_type: "Bearer" });
  }
  return new Response(null, { status: 200 });
});
httpSink.unref();

/** Local TCP and UDP receivers, for outputs that send over TCP or UDP. */
const tcpSink = await TcpReceiver.start();
const udpSink = await UdpReceiver.start();
udpSink.unref();

/** A local forward protocol server, for the forward output. */
const forwardSink = startForwardReceiver();
forwardSink.unref();

/**
 * Records that reached a receiver, by the placeholder an output's example names it with:
 * msgpack values on TCP (the tcp output's default format), datagrams on UDP (one per record).
 */
const arrivals: Record<string, () => number> = {
  "${TEST_TCP_PORT}": () => tcpSink.msgpackValues().length,
  "${TEST_UDP_PORT}": () => udpSink.datagrams.length,
  "${TEST_FORWARD_PORT}": () =>
    forwardSink.messages.reduce(
      (n, m) => n + m.records.length + m.metrics.length + m.spans.length,
      0,
    ),
};

/** A private PostgreSQL, started only when an output's example needs one (pgsql). */
const pg =
  [...registry.outputs.values()].some((p) =>
      JSON.stringify(p.example.options).includes("${TEST_PG_PORT}")
    )
    ? await PostgresServer.start()
    : null;

/** A private nats-server, started only when an example needs one (the nats input and output). */
const needsNats = (p: Plugin) => JSON.stringify(p.example.options).includes("${TEST_NATS_PORT}");
const nats = [...registry.inputs.values(), ...registry.outputs.values()].some(needsNats)
  ? await NatsServer.start()
  : null;

const env: Placeholders = {
  dir: tmp,
  httpPort: httpSink.addr.port,
  tcpPort: tcpSink.port,
  udpPort: udpSink.port,
  forwardPort: forwardSink.port,
  pgPort: pg?.port ?? 0,
  natsPort: nats?.port ?? 0,
};

const plugins: Plugin[] = [
  ...registry.inputs.values(),
  ...registry.filters.values(),
  ...registry.processors.values(),
  ...registry.outputs.values(),
];

function context(name: string): PluginContext {
  return testFilterContext({ name, parsers: buildParserRegistry([]) });
}

/** Runs input `p` in a child process whose stdin is the feed's text. */
async function runStdinInput(p: Plugin, text: string): Promise<InputCounts> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("./_conformance/stdin_child.ts", import.meta.url).pathname,
      p.name,
      tmp,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout).trim().split("\n");
  assert(out.success, `the stdin child ran: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(stdout[stdout.length - 1]!) as InputCounts;
}

for (const p of plugins) {
  const id = `${p.kind} "${p.name}"`;

  Deno.test(`${id}: exports an example`, () => {
    const missing = missingExample(p);
    assert(missing === undefined, missing);
  });

  Deno.test(`${id}: every option is described and its default parses as its type`, () => {
    assert(p.description.length > 0);
    for (const [key, spec] of Object.entries(p.options)) {
      assertEquals(key, key.toLowerCase(), `${key} is lowercase`);
      assert(spec.description.length > 0, `${key} has a description`);
      if (
        spec.default === undefined || spec.multiple || spec.type === "any" || spec.type === "map" ||
        spec.type === "custom"
      ) continue;
      const reparsed = parseValue(spec, spec.default);
      assertEquals(reparsed, spec.default, `${key} default`);
    }
  });

  Deno.test(`${id}: an unknown key is rejected with did-you-mean`, () => {
    const first = Object.keys(p.options).find((k) => k.length > 4) ?? "alias";
    const typo = first.slice(0, -1) + (first.endsWith("x") ? "y" : "x");
    try {
      resolveConfig(rawWith(p, env, { [typo]: "1" }), registry);
    } catch (e) {
      assert(e instanceof ConfigError, String(e));
      const msg = e.message;
      assertStringIncludes(msg, `key "${typo}"`);
      assertStringIncludes(msg, `did you mean "${first}"?`);
      return;
    }
    throw new Error("unknown key accepted");
  });

  for (const signal of p.kind === "input" || p.kind === "output" ? ["all"] : signalsOf(p)) {
    const what = p.kind === "input" || p.kind === "output" ? "" : ` (${signal})`;
    Deno.test(`${id}${what}: create, feed, close, close again; every record is accounted for`, async () => {
      const options = exampleValues(p, registry, env);
      if (needsNats(p) && !nats) {
        console.log(NO_NATS);
        return;
      }
      if (p.kind === "input") {
        const feed = p.example.feed;
        const counts = feed.kind === "stdin" ? await runStdinInput(p, feed.text) : await runInput(
          p,
          options,
          // The engine gives every input the built-in parsers (the syslog input needs them).
          testInputContext({ name: `${p.name}.0`, parsers: buildParserRegistry([]) }),
          env,
        );
        assertEquals(
          counts.problems,
          [],
          "every chunk carries a fresh ack that settles when released",
        );
        if (feed.kind === "scrapes") {
          assert(counts.records >= feed.records, `at least ${feed.records} records yielded`);
        } else assertEquals(counts.records, feed.records, "records yielded = the feed's records");
        return;
      }
      if (p.kind === "output") {
        if (JSON.stringify(p.example.options).includes("${TEST_PG_PORT}") && !pg) {
          console.log(NO_POSTGRES);
          return;
        }
        const arrived = arrivals[String(p.example.options.port)];
        const before = arrived?.() ?? 0;
        const counts = await checkOutput(p, options, context(`${p.name}.0`));
        if (arrived) {
          await until(() => arrived() - before >= counts.received, "the records at the receiver");
          assertEquals(arrived() - before, counts.received, "records received = records written");
        }
        return;
      }
      await checkTransform(p, options, context(`${p.name}.0`), signal as Signal);
    });
  }
}

Deno.test("conformance: the registry has the foundation's plugins", () => {
  for (const n of ["dummy", "stdin"]) assert(registry.inputs.has(n), n);
  for (const n of ["grep", "modify", "record_modifier"]) assert(registry.filters.has(n), n);
  for (const n of ["stdout", "file", "null"]) assert(registry.outputs.has(n), n);
});

Deno.test({
  name: "conformance: stop the TCP and UDP receivers",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await tcpSink.stop();
    await udpSink.stop();
    await pg?.stop();
    await nats?.stop();
  },
});
