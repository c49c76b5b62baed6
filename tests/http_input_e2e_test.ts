/**
 * The http input end to end: `curl` and Fluent Bit 4.2.8's `out_http` (the peer binary in
 * ../shared/peers, or $FLUENT_BIT) post to a sluice process whose file output is then
 * read back; every record must arrive, once. A gzip bomb and malformed bodies posted to
 * the same process are refused without losing it.
 */
import { assert, assertEquals, assertStringIncludes } from "../src/testing/assert.ts";
import { freePort, ROOT, tempDirWith, waitFor } from "./_helpers.ts";
import { type SluiceProcess, startSluice } from "./_otlp_helpers.ts";

const FLUENT_BIT = Deno.env.get("FLUENT_BIT") ?? `${ROOT}../shared/peers/fluent-bit-4.2.8/run`;

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function hasCurl(): boolean {
  try {
    return new Deno.Command("curl", { args: ["--version"], stdout: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

interface Receiver {
  sluice: SluiceProcess;
  port: number;
  out: string;
  /** The records written so far, parsed (the file output's plain format: one JSON a line). */
  records(): Record<string, unknown>[];
  stop(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const port = freePort();
  const out = await Deno.makeTempDir({ prefix: "sluice_http_e2e_" });
  const sluice = await startSluice(`
service:
  flush: 0.2
pipeline:
  inputs:
    - name: http
      listen: 127.0.0.1
      port: ${port}
      buffer_max_size: 4M
  outputs:
    - name: file
      match: '*'
      path: ${out}
      file: out.jsonl
      format: plain
`);
  await waitFor(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/`);
    await res.body?.cancel();
    return res.status === 400;
  }, { timeoutMs: 30_000, what: `the http input on port ${port}` });
  return {
    sluice,
    port,
    out,
    records() {
      let text = "";
      try {
        text = Deno.readTextFileSync(`${out}/out.jsonl`);
      } catch {
        return [];
      }
      return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
    },
    async stop() {
      assertEquals(await sluice.stop(), 0);
      await Deno.remove(out, { recursive: true });
    },
  };
}

function curl(args: string[]): { code: number; out: string } {
  const r = new Deno.Command("curl", { args: ["-s", ...args], stdout: "piped", stderr: "piped" })
    .outputSync();
  return { code: r.code, out: new TextDecoder().decode(r.stdout) };
}

Deno.test({
  name: "curl posts JSON, NDJSON, gzip and form bodies to the http input; all arrive",
  ignore: !hasCurl(),
  async fn() {
    const rx = await startReceiver();
    try {
      const url = `http://127.0.0.1:${rx.port}`;
      const json = ["-H", "Content-Type: application/json"];
      const status = (args: string[]) => curl(["-o", "/dev/null", "-w", "%{http_code}", ...args]);
      assertEquals(status([...json, "-d", '{"n":1,"via":"curl"}', `${url}/app.log`]).out, "201");
      const array = JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ n: 2 + i })));
      assertEquals(status([...json, "--data-binary", array, `${url}/batch`]).out, "201");
      assertEquals(status([...json, "--data-binary", '{"n":502}\n{"n":503}\n', url]).out, "201");
      const dir = await tempDirWith({ "b.json": '[{"n":504},{"n":505}]' });
      new Deno.Command("gzip", { args: [`${dir}/b.json`] }).outputSync();
      const gz = ["-H", "Content-Encoding: gzip", "--data-binary", `@${dir}/b.json.gz`];
      assertEquals(status([...json, ...gz, `${url}/gz`]).out, "201");
      const form = ["-H", "Content-Type: application/x-www-form-urlencoded", "-d", "n=506"];
      assertEquals(status([...form, `${url}/form`]).out, "201");
      // Malformed bodies: 400 with the reason, and the process stays up.
      const bad = curl([...json, "-d", '{"n":', `${url}/bad`]);
      assertStringIncludes(bad.out, "error: unable to process records");
      assertEquals(status([...json, "-X", "GET", url]).out, "400");
      assertEquals(
        status(["-H", "Expect: 100-continue", ...json, "-d", '{"n":507}', url]).out,
        "201",
      );
      await Deno.remove(dir, { recursive: true });
      await waitFor(() => rx.records().length >= 507, { what: "507 records in the file" });
      const ns = rx.records().map((r) => Number(r.n)).sort((a, b) => a - b);
      assertEquals(ns, Array.from({ length: 507 }, (_, i) => i + 1), "each record once");
      assert(rx.sluice.stderr.some((l) => l.includes("unable to process records")));
    } finally {
      await rx.stop();
    }
  },
});

async function fluentBitPosts(format: "json" | "msgpack"): Promise<void> {
  const rx = await startReceiver();
  const samples = 3000;
  try {
    const fb = new Deno.Command(FLUENT_BIT, {
      args: [
        "-q",
        "-i",
        "dummy",
        "-p",
        `dummy={"msg":"from fluent-bit","format":"${format}"}`,
        "-p",
        `samples=${samples}`,
        "-p",
        "rate=1000",
        "-t",
        "fb",
        "-o",
        "http",
        "-m",
        "*",
        "-p",
        "host=127.0.0.1",
        "-p",
        `port=${rx.port}`,
        "-p",
        "uri=/from.fb",
        "-p",
        `format=${format}`,
        "-f",
        "0.2",
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      await waitFor(() => rx.records().length >= samples, {
        timeoutMs: 60_000,
        what: `${samples} records from Fluent Bit's out_http (${format})`,
      });
    } finally {
      fb.kill("SIGTERM");
      await fb.output();
    }
    const records = rx.records();
    assertEquals(records.length, samples);
    assert(records.every((r) => r.msg === "from fluent-bit" && r.format === format));
  } finally {
    await rx.stop();
  }
}

const noFluentBit = !exists(FLUENT_BIT);
if (noFluentBit) {
  console.warn(`skipping the Fluent Bit out_http tests: ${FLUENT_BIT} is absent (set $FLUENT_BIT)`);
}

Deno.test({
  name: "Fluent Bit's out_http (format json) posts to the http input; every record arrives",
  ignore: noFluentBit,
  fn: () => fluentBitPosts("json"),
});

Deno.test({
  name: "Fluent Bit's out_http (format msgpack) posts to the http input; every record arrives",
  ignore: noFluentBit,
  fn: () => fluentBitPosts("msgpack"),
});
