import type { MetricChunk } from "../../../src/event/chunk.ts";
import { dataPoints } from "../../../src/metrics/model.ts";
import { assertEquals, assertStringIncludes } from "../../../src/testing/assert.ts";
import { optionsFromYaml } from "../../../src/testing/filter_context.ts";
import { testInputContext } from "../../../src/testing/input_context.ts";
import { type PrometheusScrapeOptions, prometheusScrapeOptions } from "./options.ts";
import { PrometheusScrapeInput } from "./prometheus_scrape.ts";

function serve(body: string, contentType: string) {
  const seen: Headers[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    seen.push(req.headers);
    return new Response(body, { headers: { "content-type": contentType } });
  });
  return { port: server.addr.port, seen, close: () => server.shutdown() };
}

function options(port: number, extra: Record<string, unknown> = {}): PrometheusScrapeOptions {
  return optionsFromYaml(prometheusScrapeOptions, {
    host: "127.0.0.1",
    port,
    scrape_interval: "1h",
    ...extra,
  }) as PrometheusScrapeOptions;
}

async function firstChunk(input: PrometheusScrapeInput): Promise<MetricChunk> {
  const it = input.chunks[Symbol.asyncIterator]();
  const { value } = await it.next();
  return value as MetricChunk;
}

Deno.test("prometheus_scrape reads an OpenMetrics answer by its content type", async () => {
  const target = serve(
    "# TYPE c counter\nc_total 3 1700000000.5\nc_created 1699999999\n# EOF\n",
    "application/openmetrics-text; version=1.0.0; charset=utf-8",
  );
  const ctx = testInputContext({ name: "prometheus_scrape.0", tag: "scraped" });
  const input = new PrometheusScrapeInput(options(target.port, { bearer_token: "abc" }), ctx);
  try {
    const c = await firstChunk(input);
    assertEquals([c.signal, c.tag], ["metrics", "scraped"]);
    assertEquals(c.records.map((m) => m.name), ["c_total"]);
    const p = dataPoints(c.records[0]!)[0]!;
    assertEquals([p.timeUnixNano, p.startTimeUnixNano], [
      1700000000500000000n,
      1699999999000000000n,
    ]);
    assertEquals(target.seen[0]!.get("authorization"), "Bearer abc");
    assertStringIncludes(target.seen[0]!.get("accept")!, "text/plain;version=0.0.4");
  } finally {
    ctx.controller.abort();
    await input.close();
    await target.close();
  }
});

Deno.test("prometheus_scrape splits a large scrape into chunks of about 2 MB", async () => {
  const lines = ["# TYPE big gauge"];
  for (let i = 0; i < 60_000; i++) lines.push(`big{id="${i}",pad="${"x".repeat(40)}"} ${i}`);
  const target = serve(lines.join("\n") + "\n", "text/plain; version=0.0.4");
  const ctx = testInputContext({ name: "prometheus_scrape.0" });
  const input = new PrometheusScrapeInput(options(target.port), ctx);
  try {
    const it = input.chunks[Symbol.asyncIterator]();
    let points = 0, chunks = 0;
    while (points < 60_000) {
      const c = (await it.next()).value as MetricChunk;
      chunks++;
      points += c.records.reduce((n, m) => n + dataPoints(m).length, 0);
      assertEquals(c.bytes <= 2_100_000, true, `chunk of ${c.bytes} bytes`);
    }
    assertEquals(points, 60_000);
    assertEquals(chunks >= 2, true);
  } finally {
    ctx.controller.abort();
    await input.close();
    await target.close();
  }
});

Deno.test("prometheus_scrape refuses an answer over buffer_max_size and keeps going", async () => {
  const target = serve("up 1\n".repeat(1000), "text/plain");
  const ctx = testInputContext({ name: "prometheus_scrape.0" });
  const input = new PrometheusScrapeInput(
    options(target.port, { buffer_max_size: "1k", scrape_interval: "0.05s" }),
    ctx,
  );
  try {
    const it = input.chunks[Symbol.asyncIterator]();
    const pending = it.next();
    while (
      ctx.metrics.value("sluice_prometheus_scrape_scrapes_total", {
        name: ctx.name,
        result: "too_large",
      }) < 3
    ) await new Promise((r) => setTimeout(r, 20));
    const warned = ctx.logLines.filter((l) => /\bwarn\b/.test(l) && l.includes("larger than"));
    assertEquals(warned.length, 1, "warned once for the failing streak");
    ctx.controller.abort();
    assertEquals((await pending).done, true);
  } finally {
    ctx.controller.abort();
    await input.close();
    await target.close();
  }
});
