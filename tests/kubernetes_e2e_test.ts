/**
 * The kubernetes filter end to end: the CLI with real configs (Fluent Bit's Helm chart
 * default, a compare config, a YAML DaemonSet config), real container log files (docker
 * JSON and CRI with partial lines) and a local HTTPS Kubernetes API; Fluent Bit 4.2.8 on
 * the same fixtures when its binary is present.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { freePort, ROOT, runSluice, waitFor } from "./_helpers.ts";
import {
  byPod,
  compareConf,
  fixtureFilterKeys,
  fixtureLogs,
  jsonLines,
  KUBE_DATA,
  kubeFixture,
} from "./_kube.ts";

const GOLDEN = `${KUBE_DATA}/golden/fluent-bit-4.2.8.json`;

function sluice(args: string[]) {
  return spawnFluentBit(Deno.execPath(), ["run", "--allow-all", `${ROOT}main.ts`, ...args]);
}

async function writeLogs(dir: string): Promise<void> {
  for (const [name, text] of await fixtureLogs()) await Deno.writeTextFile(`${dir}/${name}`, text);
}

/** Records expected from the fixtures: 4 of pod base, 5 of web, none of the excluded report. */
const EXPECTED_RECORDS = 9;

Deno.test("kubernetes: sluice gives Fluent Bit 4.2.8's records on the same fixtures", async () => {
  const f = await kubeFixture();
  try {
    await writeLogs(f.logDir);
    const conf = `${f.dir}/compare.conf`;
    await Deno.writeTextFile(conf, compareConf(f));
    const golden = JSON.parse(await Deno.readTextFile(GOLDEN));
    const run = async (p: ReturnType<typeof sluice>) => {
      await waitFor(() => jsonLines(p.stdout()).length >= EXPECTED_RECORDS, {
        timeoutMs: 30_000,
        what: "every record",
      });
      await p.stop();
      return byPod(jsonLines(p.stdout()));
    };
    const ours = await run(sluice(["-c", conf]));
    assertEquals(ours, golden);
    const fb = await fluentBitPath();
    if (!fb) {
      console.log(`${NO_PEER}; compared with the saved golden only`);
      return;
    }
    const theirs = await run(spawnFluentBit(fb, ["-c", conf]));
    assertEquals(theirs, golden, "Fluent Bit's output changed: refresh the golden file");
  } finally {
    await f.close();
  }
});

/** The Helm config with the in-cluster facts pointed at the fixtures (see the test). */
function helmForFixture(text: string, f: Awaited<ReturnType<typeof kubeFixture>>, port: number) {
  const helm = `${KUBE_DATA}/helm`;
  const lines = text.split("\n");
  const out: string[] = [];
  let skip = false;
  for (const line of lines) {
    if (/^\[/.test(line)) skip = false;
    const name = /^\s+Name\s+(\S+)/.exec(line)?.[1];
    if (name === "systemd" || name === "es") {
      out.pop(); // the section header
      skip = true;
    }
    if (skip) continue;
    out.push(
      line
        .replace("/fluent-bit/etc/conf/", `${helm}/`)
        .replace("/fluent-bit/etc/", `${helm}/`)
        .replace("HTTP_Listen 0.0.0.0", "HTTP_Listen 127.0.0.1")
        .replace("HTTP_Port 2020", `HTTP_Port ${port}`)
        .replace("/var/log/containers", f.logDir),
    );
    if (/^\s+Name kubernetes$/.test(line)) out.push(fixtureFilterKeys(f));
  }
  out.push("[OUTPUT]", "    Name stdout", "    Match kube.*", "    Format json_lines", "");
  return out.join("\n");
}

Deno.test("kubernetes: the Helm chart's default config validates and runs on the fixtures", async () => {
  const verbatim = `${KUBE_DATA}/helm/fluent-bit.conf`;
  // Unchanged, the file fails only on what a test machine lacks: the image's parser files
  // and, until they are registered, the systemd input and es output.
  const checked = await runSluice(["validate", "-c", verbatim]);
  const problems = checked.stderr.split("\n").filter((l) => l.includes("fluent-bit.conf:"));
  for (const p of problems) {
    assert(
      /cannot read parsers file "\/fluent-bit\/etc\//.test(p) ||
        /unknown (input|output) plugin "(systemd|es)"/.test(p),
      `unexpected problem: ${p}`,
    );
  }
  const f = await kubeFixture();
  const port = freePort();
  try {
    // Files present at start are read from their end (no Read_From_Head): create them empty,
    // wait until tail has opened them, then write the lines as a container runtime would.
    const logs = await fixtureLogs();
    for (const name of logs.keys()) await Deno.writeTextFile(`${f.logDir}/${name}`, "");
    const conf = `${f.dir}/helm.conf`;
    const text = helmForFixture(await Deno.readTextFile(verbatim), f, port);
    await Deno.writeTextFile(conf, text);
    const valid = await runSluice(["validate", "-c", conf]);
    assertEquals(valid.code, 0, valid.stderr);
    const p = sluice(["-c", conf]);
    try {
      await waitFor(async () => {
        const prom = await (await fetch(`http://127.0.0.1:${port}/api/v2/metrics/prometheus`))
          .text();
        const opened = /fluentbit_input_files_opened_total\{name="tail\.0"\} (\d+)/.exec(prom);
        return Number(opened?.[1] ?? 0) >= logs.size;
      }, { timeoutMs: 30_000, what: "tail to open the files" });
      for (const [name, body] of logs) {
        const file = await Deno.open(`${f.logDir}/${name}`, { append: true });
        await file.write(new TextEncoder().encode(body));
        file.close();
      }
      await waitFor(() => jsonLines(p.stdout()).length >= EXPECTED_RECORDS, {
        timeoutMs: 30_000,
        what: "every record",
      });
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      assertEquals([health.status, await health.text()], [200, "ok\n"]);
    } finally {
      await p.stop();
    }
    const records = jsonLines(p.stdout());
    const golden = JSON.parse(await Deno.readTextFile(GOLDEN)) as Record<string, string[]>;
    const ours = byPod(records);
    // Same records as Fluent Bit with Read_From_Head; dates of unparsed lines aside.
    assertEquals(ours, golden);
    assert(
      !records.some((r) => (r.kubernetes as { pod_name?: string }).pod_name?.startsWith("report")),
    );
  } finally {
    await f.close();
  }
});
