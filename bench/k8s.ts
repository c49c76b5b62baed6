/**
 * `deno task bench:k8s`: the Helm chart's default log pipeline, tail (CRI files,
 * `multiline.parser docker, cri`, 5% of the lines split into `P`/`F` partials) + kubernetes
 * (Merge_Log On, Keep_Log Off, annotations on) with a warm metadata cache (10 pods, each
 * fetched once from a local HTTPS API) → null, on 1,000,000 lines (`BENCH_K8S_LINES` to
 * change). sluice and, when its binary is present, Fluent Bit 4.2.8 run the same config on
 * the same files; each is timed until its null output counted every record.
 */
import { fluentBitPath } from "../src/testing/fluent_bit.ts";
import { startKubeApi } from "../src/testing/kube_api.ts";
import { kubePipeline } from "../src/testing/kube_pipeline.ts";
import { until } from "../src/testing/until.ts";
import {
  freePort,
  loadAverage,
  type Measurement,
  report,
  sluiceCommand,
  startMeasured,
} from "./measure.ts";
import { outputRecords } from "./stream_input.ts";

const LINES = Number(Deno.env.get("BENCH_K8S_LINES") ?? 1_000_000);
const PODS = 10;
const root = new URL("..", import.meta.url).pathname;

const dir = await Deno.makeTempDir({ prefix: "sluice_bench_k8s_" });
const logDir = `${dir}/var/log/containers`;
await Deno.mkdir(logDir, { recursive: true });

function hex64(n: number): string {
  return n.toString(16).padStart(8, "0").repeat(8);
}

const pods: Record<string, unknown>[] = [];
let records = 0;
const enc = new TextEncoder();
for (let p = 0; p < PODS; p++) {
  const name = `api-6f9c7d5b4-${p.toString(36).padStart(5, "q")}`;
  const id = hex64(0x1000 + p);
  pods.push({
    kind: "Pod",
    apiVersion: "v1",
    metadata: {
      name,
      namespace: "prod",
      uid: `0000${p}-aaaa-bbbb-cccc-dddddddddddd`,
      labels: { "app.kubernetes.io/name": "api", "pod-template-hash": "6f9c7d5b4" },
      annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9090" },
    },
    spec: { nodeName: "worker-1", containers: [{ name: "api", image: "example/api:2.3.1" }] },
    status: {
      podIP: `10.244.1.${p + 10}`,
      containerStatuses: [{
        name: "api",
        containerID: `containerd://${id}`,
        image: "docker.io/example/api:2.3.1",
        imageID: "docker.io/example/api@sha256:" + "5e".repeat(32),
      }],
    },
  });
  const file = await Deno.open(`${logDir}/${name}_prod_api-${id}.log`, {
    create: true,
    write: true,
  });
  const per = Math.floor(LINES / PODS);
  let text = "";
  for (let i = 0; i < per; i++) {
    const ts = `2026-12-04T10:${String(Math.floor(i / 60000) % 60).padStart(2, "0")}:${
      String(Math.floor(i / 1000) % 60).padStart(2, "0")
    }.${String(i % 1000).padStart(3, "0")}000000Z`;
    const body =
      `{"level":"info","msg":"request handled","method":"GET","path":"/api/v1/items/${i}","status":200,"latency_ms":${
        i % 97
      },"trace_id":"${hex64(i).slice(0, 32)}"}`;
    if (i % 20 === 19 && i + 1 < per) {
      text += `${ts} stdout P ${body.slice(0, 60)}\n${ts} stdout F ${body.slice(60)}\n`;
      i++;
    } else {
      text += `${ts} stdout F ${body}\n`;
    }
    records++;
    if (text.length > 1 << 20) {
      await file.write(enc.encode(text));
      text = "";
    }
  }
  await file.write(enc.encode(text));
  file.close();
}

const api = await startKubeApi({ pods });

function conf(httpPort: number): string {
  return `[SERVICE]
    Flush 0.2
    Grace 1
    Log_Level warn
    HTTP_Server On
    HTTP_Listen 127.0.0.1
    HTTP_Port ${httpPort}
    Parsers_File ${root}testdata/kubernetes/helm/parsers.conf

${kubePipeline({ api, logDir })}
[OUTPUT]
    Name null
    Match *
`;
}

async function run(name: string, cmd: (confFile: string) => string[]): Promise<Measurement> {
  const port = freePort();
  const confFile = `${dir}/${name}.conf`;
  await Deno.writeTextFile(confFile, conf(port));
  const before = api.requests.length;
  const p = startMeasured(cmd(confFile));
  try {
    await until(
      async () => (await outputRecords(port)) >= records,
      `${name} to deliver ${records}`,
      {
        timeout: 600_000,
        interval: 100,
      },
    );
  } finally {
    const m = await p.stop();
    if (api.requests.length - before > PODS * 2) {
      console.log(`!! ${name} asked the API ${api.requests.length - before} times`);
    }
    // deno-lint-ignore no-unsafe-finally
    return m;
  }
}

console.log(
  `k8s (Helm default: tail CRI + multiline + kubernetes, warm cache -> null): ${
    LINES.toLocaleString("en-US")
  } lines (the rates below are lines/s), ${
    records.toLocaleString("en-US")
  } records, ${PODS} pods; load average ${loadAverage()} ` +
    "(2 shared cores: other work colours the figures)",
);
const { entry, cmd: sluice } = await sluiceCommand();
const ours = await run("sluice", (c) => [...sluice, "-c", c]);
const perM = (m: Measurement) => `${(m.cpu * 1_000_000 / LINES).toFixed(2)} CPU-s per 1M lines`;
console.log(`${report(`sluice (${entry})`, LINES, ours)}  [${perM(ours)}]`);
const fbRun = await fluentBitPath();
if (fbRun) {
  const bin = fbRun.endsWith("/run") ? fbRun.replace(/run$/, "fluent-bit") : fbRun;
  const theirs = await run("fluent-bit", (c) => [bin, "-c", c]);
  console.log(`${report("fluent-bit 4.2.8", LINES, theirs)}  [${perM(theirs)}]`);
  console.log(
    `ratio sluice/fluent-bit: ${(theirs.wall / ours.wall).toFixed(2)}x lines/s, ` +
      `${(theirs.cpu / ours.cpu).toFixed(2)}x CPU efficiency (>1 = sluice better); ` +
      `load average ${loadAverage()}`,
  );
} else {
  console.log("fluent-bit: binary not found (set FLUENT_BIT or provide ../shared/peers); skipped");
}
await api.close();
await Deno.remove(dir, { recursive: true });
