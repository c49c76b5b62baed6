/**
 * Fluent Bit's own default configuration (testdata/fluent-bit-default/, copied from v4.2.8's
 * conf/: `[INPUT] name cpu, tag cpu.local` into `[OUTPUT] name stdout`, with its
 * parsers_file and plugins_file beside it) runs under `sluice -c` as is, from another
 * working directory (the side files are found beside the config): no warning, and
 * records printed as Fluent Bit prints them: the tag, the same keys in the same order
 * (`cpu_p`, `user_p`, `system_p`, then `cpuN.p_cpu`, `cpuN.p_user`, `cpuN.p_system` per CPU)
 * and percentages in range. The same file under the Fluent Bit 4.2.8 binary gives the same
 * keys when the peer is present.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { freePort, runSluice, spawnSluice, tempDirWith, waitFor } from "./_helpers.ts";

const CONF = new URL("../testdata/fluent-bit-default/fluent-bit.conf", import.meta.url).pathname;

/** Records the stdout output printed: tag, keys in order, numeric values. */
interface Printed {
  tag: string;
  keys: string[];
  values: number[];
}

function printed(text: string): Printed[] {
  const out: Printed[] = [];
  for (const line of text.split("\n")) {
    const m = /^\[\d+\] (\S+): \[\[[\d.]+, \{\}\], \{(.*)\}\]$/.exec(line);
    if (!m) continue;
    const pairs = [...m[2]!.matchAll(/"([^"]+)"=>([^,}]+)/g)];
    out.push({
      tag: m[1]!,
      keys: pairs.map((p) => p[1]!),
      values: pairs.map((p) => Number(p[2])),
    });
  }
  return out;
}

async function run(start: () => { stop(): Promise<unknown>; out(): string }): Promise<Printed[]> {
  const p = start();
  try {
    return (await waitFor(() => {
      const r = printed(p.out());
      return r.length >= 2 ? r : undefined;
    }, { what: "two cpu records on stdout", timeoutMs: 20_000 }))!;
  } finally {
    await p.stop();
  }
}

Deno.test({
  name: "Fluent Bit's default fluent-bit.conf (cpu -> stdout) runs under sluice -c",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  let log = "";
  const ours = await run(() => {
    const child = spawnSluice(["-c", CONF], { cwd: "/tmp" });
    let out = "";
    const dec = new TextDecoder();
    const pump = async (s: ReadableStream<Uint8Array>, add: (t: string) => void) => {
      for await (const piece of s) add(dec.decode(piece, { stream: true }));
    };
    const pumps = Promise.all([
      pump(child.stdout, (t) => (out += t)),
      pump(child.stderr, (t) => (log += t)),
    ]);
    return {
      out: () => out,
      async stop() {
        child.kill("SIGTERM");
        assertEquals((await child.status).code, 0, log);
        await pumps;
      },
    };
  });
  assert(!/\[ ?(warn|error)\]/.test(log), `no warning or error:\n${log}`);
  const cpus = navigator.hardwareConcurrency;
  const want = ["cpu_p", "user_p", "system_p"];
  for (let i = 0; i < cpus; i++) want.push(`cpu${i}.p_cpu`, `cpu${i}.p_user`, `cpu${i}.p_system`);
  for (const r of ours) {
    assertEquals(r.tag, "cpu.local");
    assertEquals(r.keys, want);
    // totals are averaged over the CPUs, per-CPU values are of one CPU: 0..100 each
    for (const v of r.values) assert(v >= 0 && v <= 100, `percentage ${v}`);
    const [cpu, user, system] = r.values as [number, number, number];
    assert(
      Math.abs(cpu - user - system) < 1e-5,
      `cpu_p ${cpu} = user_p ${user} + system_p ${system}`,
    );
  }

  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return;
  }
  const theirs = await run(() => {
    const fb = spawnFluentBit(bin, ["-c", CONF]);
    return { out: () => fb.stdout(), stop: () => fb.stop() };
  });
  for (const r of theirs) assertEquals([r.tag, r.keys], [ours[0]!.tag, ours[0]!.keys]);
});

const METRICS_CONF = new URL(
  "../testdata/fluent-bit-default/fluent-bit-metrics.conf",
  import.meta.url,
).pathname;

Deno.test({
  name: "Fluent Bit's fluent-bit-metrics.conf: its `listen` refused at its line with a hint, " +
    "with `host` it serves node metrics",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  // Fluent Bit 4.2.8 refuses its own example too ("unknown configuration property 'listen'")
  const refused = await runSluice(["-c", METRICS_CONF], { timeoutMs: 30_000 });
  assert(refused.code !== 0, "refused");
  assertEquals(
    refused.stderr.split("\n")[0],
    `${METRICS_CONF}:24:5: key "listen": unknown key for output "prometheus_exporter" ` +
      '(did you mean "host"?)',
  );
  const port = freePort();
  const text = (await Deno.readTextFile(METRICS_CONF))
    .replace(/^(\s+)listen\s+0\.0\.0\.0$/m, "$1host            127.0.0.1")
    .replaceAll("2021", String(port));
  const dir = await tempDirWith({ "fluent-bit-metrics.conf": text });
  const child = spawnSluice(["-c", `${dir}/fluent-bit-metrics.conf`]);
  try {
    const body = await waitFor(async () => {
      const r = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => null);
      const t = r ? await r.text() : "";
      return r?.ok && t.includes("node_memory_MemTotal_bytes") ? t : undefined;
    }, { what: "node metrics on the exporter", timeoutMs: 20_000, intervalMs: 200 });
    assert(/^# TYPE node_cpu_seconds_total counter$/m.test(body!));
  } finally {
    child.kill("SIGTERM");
    const out = await child.output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    await Deno.remove(dir, { recursive: true });
  }
});
