/**
 * The kubernetes filter end to end: the CLI with real configs (Fluent Bit's Helm chart
 * default, a compare config, a YAML DaemonSet config), real container log files (docker
 * JSON and CRI with partial lines) and a local HTTPS Kubernetes API; Fluent Bit 4.2.8 on
 * the same fixtures when its binary is present.
 */
import { assert, assertEquals } from "../src/testing/assert.ts";
import { fluentBitPath, NO_PEER, spawnFluentBit } from "../src/testing/fluent_bit.ts";
import { freePort, ROOT, runSluice, waitFor } from "./_helpers.ts";
import { promMetric } from "./_outputs.ts";
import {
  byPod,
  compareConf,
  dockerModeConf,
  fixtureFilterKeys,
  fixtureLogs,
  jsonLines,
  KUBE_DATA,
  kubeFixture,
} from "./_kube.ts";

const GOLDEN = `${KUBE_DATA}/golden/fluent-bit-4.2.8.json`;
const DOCKER_MODE_GOLDEN = `${KUBE_DATA}/golden/docker-mode-fluent-bit-4.2.8.json`;

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

Deno.test("kubernetes: Docker_Mode with Parser docker gives Fluent Bit 4.2.8's records", async () => {
  const f = await kubeFixture();
  try {
    for await (const e of Deno.readDir(`${KUBE_DATA}/docker_mode`)) {
      await Deno.copyFile(`${KUBE_DATA}/docker_mode/${e.name}`, `${f.logDir}/${e.name}`);
    }
    const conf = `${f.dir}/docker_mode.conf`;
    await Deno.writeTextFile(conf, dockerModeConf(f));
    const golden = JSON.parse(await Deno.readTextFile(DOCKER_MODE_GOLDEN));
    const expected = Object.values(golden as Record<string, unknown[]>).flat().length;
    const run = async (p: ReturnType<typeof sluice>) => {
      await waitFor(() => jsonLines(p.stdout()).length >= expected, {
        timeoutMs: 30_000,
        what: "every record",
      });
      await p.stop();
      return byPod(jsonLines(p.stdout()));
    };
    assertEquals(await run(sluice(["-c", conf])), golden);
    const fb = await fluentBitPath();
    if (!fb) {
      console.log(`${NO_PEER}; compared with the saved golden only`);
      return;
    }
    assertEquals(await run(spawnFluentBit(fb, ["-c", conf])), golden, "refresh the golden file");
  } finally {
    await f.close();
  }
});

/**
 * The Helm config with only the in-cluster facts pointed at the fixtures: the image's parser
 * files (`/fluent-bit/etc/...` → testdata/kubernetes/helm), `HTTP_Listen`/`HTTP_Port` (127.0.0.1
 * and a free port), `/var/log/containers` (the scratch log dir), the kubernetes filter's API
 * (`Kube_URL`, `Kube_CA_File`, `Kube_Token_File` instead of the service account mount, and
 * `Kube_Tag_Prefix` for the scratch path), and the systemd input and es outputs replaced by one
 * stdout output (the kubelet journal and Elasticsearch are not part of these fixtures). Every
 * other line (tail's `multiline.parser docker, cri`, `Mem_Buf_Limit`, `Skip_Long_Lines`, the
 * filter's `Merge_Log`, `Keep_Log`, `K8S-Logging.*`) is the chart's.
 */
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
        const opened = await promMetric(
          port,
          "fluentbit_input_files_opened_total",
          'name="tail.0"',
        );
        return opened >= logs.size;
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

function daemonSetEnv(f: Awaited<ReturnType<typeof kubeFixture>>, port: number) {
  return {
    PARSERS_FILE: `${KUBE_DATA}/helm/parsers.conf`,
    HTTP_PORT: String(port),
    LOG_PATH: f.logDir,
    KUBE_URL: f.api.url,
    KUBE_CA_FILE: f.api.caFile,
    KUBE_TOKEN_FILE: f.api.tokenFile,
    KUBE_TAG_PREFIX: f.tagPrefix,
  };
}

function sluiceEnv(args: string[], env: Record<string, string>) {
  for (const [k, v] of Object.entries(env)) Deno.env.set(k, v);
  try {
    return sluice(args);
  } finally {
    for (const k of Object.keys(env)) Deno.env.delete(k);
  }
}

const GHOST = `ghost-5d8f7_core_app-${"ab".repeat(32)}.log`;

Deno.test("kubernetes: an API answering 403 and 404 loses nothing, logs and counts it (YAML DaemonSet config)", async () => {
  const f = await kubeFixture();
  const port = freePort();
  f.api.faults.set("/api/v1/namespaces/shop/pods/web-7d4b9c8f6-x2x9z", { status: 403 });
  try {
    await writeLogs(f.logDir);
    await Deno.writeTextFile(
      `${f.logDir}/${GHOST}`,
      '{"log":"who am i\\n","stream":"stdout","time":"2026-12-04T10:02:00Z"}\n',
    );
    const p = sluiceEnv(["-c", `${KUBE_DATA}/daemonset.yaml`], daemonSetEnv(f, port));
    try {
      // base 4, web 5 (403: no metadata), ghost 1 (404); report's 2 are excluded by its annotation.
      await waitFor(() => jsonLines(p.stdout()).length >= 10, {
        timeoutMs: 30_000,
        what: "every record",
      });
      const records = jsonLines(p.stdout());
      const pods = records.map((r) =>
        (r.kubernetes as { pod_name?: string } | undefined)?.pod_name
      );
      assertEquals(pods.filter((x) => x === "base").length, 4);
      assertEquals(pods.filter((x) => x === undefined).length, 6);
      assert(!records.some((r) => "annotations" in (r.kubernetes as object ?? {})));
      const without = await promMetric(
        port,
        "sluice_filter_kubernetes_records_without_metadata_total",
        'reason="failed"',
      );
      assertEquals(without, 6);
      const excluded = await promMetric(
        port,
        "sluice_filter_kubernetes_excluded_records_total",
        'name="kubernetes.0"',
      );
      assertEquals(excluded, 2);
      const unmatched = await promMetric(
        port,
        "sluice_input_multiline_unmatched_lines_total",
        'name="tail.0"',
      );
      assertEquals(unmatched, 2); // "truncated json" and "not a cri line at all"
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      assertEquals(health.status, 200);
      await health.body?.cancel();
    } finally {
      await p.stop();
    }
    const err = p.stderr();
    assert(/HTTP 403/.test(err) && /pod shop\/web-7d4b9c8f6-x2x9z/.test(err), err);
    assert(/HTTP 404/.test(err) && /pod core\/ghost-5d8f7/.test(err), err);
    assert(/matched none of the multiline parsers/.test(err), err);
  } finally {
    await f.close();
  }
});

Deno.test("kubernetes: a slow then failing API delays records a bounded time, and metadata returns when it recovers", async () => {
  const f = await kubeFixture();
  const port = freePort();
  const base = "/api/v1/namespaces/core/pods/base";
  f.api.faults.set(base, { delayMs: 6000 });
  f.api.faults.set("/api/v1/namespaces/shop/pods/web-7d4b9c8f6-x2x9z", { status: 500 });
  try {
    await writeLogs(f.logDir);
    for (const name of (await fixtureLogs()).keys()) {
      if (name.startsWith("report-")) await Deno.remove(`${f.logDir}/${name}`); // base 4 + web 5 left
    }
    const p = sluiceEnv(["-c", `${KUBE_DATA}/daemonset.yaml`], daemonSetEnv(f, port));
    try {
      await waitFor(() => jsonLines(p.stdout()).length >= EXPECTED_RECORDS, {
        timeoutMs: 30_000,
        what: "every record",
      });
      const first = jsonLines(p.stdout());
      const timeout = await promMetric(
        port,
        "sluice_filter_kubernetes_records_without_metadata_total",
        'reason="timeout"',
      );
      assert(timeout >= 1, `timeout count ${timeout}`);
      assertEquals(
        first.filter((r) =>
          r.kubernetes !== undefined && (r.kubernetes as { pod_id?: string }).pod_id
        ).length,
        0,
      );
      // The API recovers: new lines of both pods get their metadata again.
      f.api.faults.clear();
      const names = [...(await fixtureLogs()).keys()];
      const baseFile = names.find((n) => n.startsWith("base_"))!;
      const webFile = names.find((n) => n.startsWith("web-"))!;
      await waitFor(async () => {
        const line = JSON.stringify({
          log: "again\n",
          stream: "stdout",
          time: new Date().toISOString(),
        });
        await Deno.writeTextFile(`${f.logDir}/${baseFile}`, line + "\n", { append: true });
        await Deno.writeTextFile(
          `${f.logDir}/${webFile}`,
          `${new Date().toISOString()} stdout F again\n`,
          { append: true },
        );
        const got = jsonLines(p.stdout()).slice(first.length);
        const ids = new Set(
          got.map((r) => (r.kubernetes as { pod_id?: string } | undefined)?.pod_id),
        );
        return ids.has("e9f2963f-55f2-11e9-84c5-02e422b8a84a") &&
          ids.has("5c2f1e7a-3b8d-4c9e-a1f0-7e6d5c4b3a21");
      }, { timeoutMs: 60_000, intervalMs: 1000, what: "metadata after recovery" });
    } finally {
      await p.stop();
    }
    assert(/no answer from the Kubernetes API within 3 s/.test(p.stderr()), p.stderr());
  } finally {
    await f.close();
  }
});
