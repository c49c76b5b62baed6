/**
 * A config Fluent Bit accepts, sluice runs; one it refuses, sluice refuses. Each file in
 * testdata/config_verdicts/{accept,refuse}/ is checked with `sluice validate`, and, when the
 * Fluent Bit 4.2.8 peer is present, started under Fluent Bit too: refused means it exits with
 * a configuration error within two seconds, accepted means it is still running. Listeners
 * take their port from `${VERDICT_PORT}`, a free port per run.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { freePort, ROOT, runSluice } from "./_helpers.ts";

const dir = `${ROOT}testdata/config_verdicts`;

async function cases(): Promise<{ file: string; accept: boolean }[]> {
  const out: { file: string; accept: boolean }[] = [];
  for (const verdict of ["accept", "refuse"]) {
    for await (const e of Deno.readDir(`${dir}/${verdict}`)) {
      if (e.name.endsWith(".yaml")) {
        out.push({ file: `${dir}/${verdict}/${e.name}`, accept: verdict === "accept" });
      }
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

Deno.test("sluice validate gives every config in the verdict corpus Fluent Bit's verdict", async () => {
  const all = await cases();
  assert(all.length >= 10, `only ${all.length} configs`);
  const results = await Promise.all(all.map(async (c) => {
    const env = { VERDICT_PORT: String(freePort()) };
    const r = await runSluice(["validate", "-c", c.file], { timeoutMs: 30_000, env });
    return { ...c, code: r.code, stderr: r.stderr };
  }));
  for (const r of results) {
    const name = r.file.slice(dir.length + 1);
    assertEquals(r.code, r.accept ? 0 : 2, `${name}: ${r.stderr}`);
    if (!r.accept) assert(/\.yaml:\d+:\d+: key "/.test(r.stderr), `${name}: ${r.stderr}`);
  }
  const warned = results.find((r) => r.file.endsWith("unknown_service_key.yaml"));
  assert(warned?.stderr.includes('key "flsh": unknown key for service, ignored'), warned?.stderr);
  const empty = results.find((r) => r.file.endsWith("sampling_empty_trace_state.yaml"));
  assert(empty?.stderr.includes("never matches"), empty?.stderr);
});

Deno.test("Fluent Bit 4.2.8 gives the verdict corpus the verdicts recorded for it", async () => {
  const bin = await fluentBitPath();
  if (!bin) {
    console.log(NO_PEER);
    return;
  }
  const all = await cases();
  await Promise.all(all.map(async (c) => {
    const fb = spawnFluentBit(bin, ["-c", c.file], { env: { VERDICT_PORT: String(freePort()) } });
    const exited = await Promise.race([
      fb.child.status.then((s) => s.code),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000)),
    ]);
    await fb.stop(2000);
    const name = c.file.slice(dir.length + 1);
    if (c.accept) assertEquals(exited, null, `${name}: Fluent Bit exited: ${fb.stderr()}`);
    else assert(exited !== null && exited !== 0, `${name}: Fluent Bit kept running`);
  }));
});
