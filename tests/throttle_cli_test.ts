/**
 * The throttle filter through the CLI: a burst of 1000 records into `rate 2, window 5` keeps
 * rate × window = 10 (the first pane's budget, as Fluent Bit) and the 990 dropped are counted
 * in `fluentbit_filter_drop_records_total`.
 */
import { assertEquals } from "../src/testing/assert.ts";
import { freePort, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

Deno.test("throttle (CLI): a burst keeps rate × window, the drops are counted", async () => {
  const http = freePort();
  const lines = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join("\n") + "\n";
  const dir = await tempDirWith({ "in.log": lines });
  await Deno.writeTextFile(
    `${dir}/sluice.conf`,
    `[SERVICE]
    flush       0.2
    http_server on
    http_listen 127.0.0.1
    http_port   ${http}

[INPUT]
    name           tail
    path           ${dir}/in.log
    read_from_head true

[FILTER]
    name     throttle
    match    *
    rate     2
    window   5
    interval 1s

[OUTPUT]
    name   file
    match  *
    path   ${dir}/out
    file   kept.log
    format plain
`,
  );
  const child = spawnSluice(["-c", `${dir}/sluice.conf`]);
  try {
    const prom: string = await waitFor<string>(async () => {
      const text = await (await fetch(`http://127.0.0.1:${http}/api/v2/metrics/prometheus`))
        .text();
      return /fluentbit_filter_drop_records_total\{name="throttle\.0"\} 990\b/.test(text)
        ? text
        : "";
    }, { what: "990 drops counted", timeoutMs: 20_000 });
    assertEquals(
      prom.match(/fluentbit_filter_records_total\{name="throttle\.0"\} (\d+)/)?.[1],
      "1000",
    );
    const kept = await waitFor(async () => {
      const text = await Deno.readTextFile(`${dir}/out/kept.log`);
      const n = text.split("\n").filter((l) => l !== "");
      return n.length === 10 ? n : undefined;
    }, { what: "10 records kept" });
    assertEquals(
      kept!.map((l) => JSON.parse(l).log),
      Array.from({ length: 10 }, (_, i) => `line ${i}`),
    );
  } finally {
    child.kill("SIGTERM");
    assertEquals((await child.status).code, 0);
    await Deno.remove(dir, { recursive: true });
  }
});
