/**
 * The status page in a real browser: sluice runs dummy → grep → null and an http output to a
 * closed port (so errors happen), headless Chromium opens `http://127.0.0.1:PORT/`, and the
 * test reads the rendered page: the graph with a live rate on each edge, health, version,
 * uptime, config path, recent errors, numbers that change while records flow, and no request
 * to anywhere but the instance. A screenshot is kept in test-artifacts/.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { VERSION } from "../src/version.ts";
import { Browser, chromiumPath } from "../src/testing/chromium.ts";
import { freePort, ROOT, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

const chromium = chromiumPath();
if (!chromium) {
  console.warn("skipping status page tests: chromium is not installed (apt-get install chromium)");
}

Deno.test({
  name: "the status page renders the pipeline with live edge rates, health and recent errors",
  ignore: !chromium,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const port = freePort();
  const deadPort = freePort();
  const dir = await tempDirWith({
    "sluice.yaml": `service:
  http_server: on
  http_port: ${port}
  flush: 0.2
  grace: 1
pipeline:
  inputs:
    - name: dummy
      tag: app
      rate: 200
      dummy: '{"message": "hello", "level": "info"}'
  filters:
    - name: grep
      match: app
      exclude: level debug
  outputs:
    - name: null
      match: "*"
    - name: http
      match: "*"
      host: 127.0.0.1
      port: ${deadPort}
      retry_limit: 1
`,
  });
  const child = spawnSluice(["-c", `${dir}/sluice.yaml`]);
  const base = `http://127.0.0.1:${port}`;
  let browser: Browser | undefined;
  try {
    await waitFor(async () => (await fetch(`${base}/api/v2/pipeline`)).ok, {
      what: "the monitoring server",
      timeoutMs: 30_000,
    });
    browser = await Browser.launch(chromium!);
    const page = browser;
    await page.goto(`${base}/`);
    const updates = () => page.evaluate<number>("Number(document.body.dataset.updates)");
    await waitFor(async () => (await updates()) >= 2, {
      what: "the page to poll twice",
      timeoutMs: 30_000,
    });

    const text = (id: string) =>
      page.evaluate<string>(`document.getElementById("${id}").textContent`);
    assertEquals(await text("version"), VERSION);
    assertEquals(await text("config"), `${dir}/sluice.yaml`);
    assert(["ok", "error"].includes(await text("health")));
    assert(/\d+s$/.test(await text("uptime")), await text("uptime"));

    // The graph: a node per instance and a rate on every edge.
    const nodes = await page.evaluate<string[]>(
      `[...document.querySelectorAll("#graph .node")].map((n) => n.dataset.name)`,
    );
    assertEquals(nodes.sort(), ["dummy.0", "grep.0", "http.1", "null.0"]);
    const edgeRates = () =>
      page.evaluate<Array<{ from: string; to: string; text: string }>>(
        `[...document.querySelectorAll("#graph .edge-rate")].map((e) =>
          ({ from: e.dataset.from, to: e.dataset.to, text: e.textContent }))`,
      );
    const edges = await waitFor(async () => {
      const e = await edgeRates();
      return e.length === 3 && e.every((x) => /^[1-9][\d.]*k? rec\/s$/.test(x.text))
        ? e
        : undefined;
    }, { what: "a live rate on every edge", timeoutMs: 20_000 });
    assertEquals(
      edges!.map((e) => `${e.from}->${e.to}`).sort(),
      ["dummy.0->grep.0", "grep.0->http.1", "grep.0->null.0"],
    );

    // The numbers change while records flow.
    const records = () =>
      page.evaluate<number>(`Number(document.querySelector("#inputs tr td:nth-child(4)").textContent
        .replace("k", "e3").replace("M", "e6"))`);
    const first = await records();
    await waitFor(async () => (await records()) > first, {
      what: "the input's record count to grow",
      timeoutMs: 20_000,
    });

    // The http output's failures show as recent errors.
    const errors = await waitFor(async () => {
      const t = await text("errors");
      return t.includes("http.1") ? t : undefined;
    }, { what: "the http output's errors on the page", timeoutMs: 30_000 });
    assertStringIncludes(errors!, `127.0.0.1:${deadPort}`, "the error names the dead peer");

    // One self-contained page: nothing fetched but the instance's own URLs.
    assert(browser.requests.length > 0);
    for (const url of browser.requests) assert(url.startsWith(`${base}/`), url);

    const shot = await browser.screenshot();
    const out = `${ROOT}test-artifacts`;
    await Deno.mkdir(out, { recursive: true });
    await Deno.writeFile(`${out}/status_page.png`, shot);
    console.log(`status page screenshot: ${out}/status_page.png`);
    assertEquals([...shot.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
  } finally {
    await browser?.close();
    child.kill("SIGTERM");
    await child.output();
    await Deno.remove(dir, { recursive: true });
  }
});
