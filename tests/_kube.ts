/**
 * Kubernetes end-to-end fixtures: the fixture API server with the pods of
 * testdata/kubernetes (HTTPS, CA file, token file), a scratch `var/log/containers`
 * directory, the configs that point at them, and record normalisation for comparing
 * sluice's output with Fluent Bit's.
 */
import { type KubeApi, readKubeObjects, startKubeApi } from "../src/testing/kube_api.ts";
import { kubeFilterKeys, kubePipeline, kubeTagPrefix } from "../src/testing/kube_pipeline.ts";
import { ROOT } from "./_helpers.ts";

/** testdata/kubernetes. */
export const KUBE_DATA = `${ROOT}testdata/kubernetes`;

/** A fixture API and a container log directory. */
export interface KubeFixture {
  api: KubeApi;
  /** Scratch root. */
  dir: string;
  /** `<dir>/var/log/containers`. */
  logDir: string;
  /** The tag prefix tail's `kube.*` gives files of `logDir`. */
  tagPrefix: string;
  close(): Promise<void>;
}

/** Starts the fixture API with every pod and namespace of testdata/kubernetes. */
export async function kubeFixture(): Promise<KubeFixture> {
  const a = await readKubeObjects(`${KUBE_DATA}/api`);
  const b = await readKubeObjects(`${KUBE_DATA}/pods`);
  const api = await startKubeApi({
    pods: [...a.pods, ...b.pods],
    namespaces: [...a.namespaces, ...b.namespaces],
  });
  const dir = await Deno.makeTempDir({ prefix: "sluice_k8s_" });
  const logDir = `${dir}/var/log/containers`;
  await Deno.mkdir(logDir, { recursive: true });
  return {
    api,
    dir,
    logDir,
    tagPrefix: kubeTagPrefix(logDir),
    async close() {
      await api.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** The fixture container log files: name to text. */
export async function fixtureLogs(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(`${KUBE_DATA}/logs`)) {
    if (e.isFile) out.set(e.name, await Deno.readTextFile(`${KUBE_DATA}/logs/${e.name}`));
  }
  return out;
}

/** The kubernetes filter keys that point at the fixture instead of the in-cluster defaults. */
export function fixtureFilterKeys(f: KubeFixture): string {
  return kubeFilterKeys(f);
}

/**
 * A classic config: tail (CRI and docker multiline, as the Helm chart) + kubernetes
 * (merge, annotations) → `output` (stdout json_lines by default), read from the head.
 */
export function compareConf(
  f: KubeFixture,
  output = "    Name stdout\n    Match *\n    Format json_lines",
): string {
  return `[SERVICE]
    Flush 0.2
    Log_Level info
    Parsers_File ${KUBE_DATA}/helm/parsers.conf

${kubePipeline(f)}
[OUTPUT]
${output}
`;
}

/**
 * The tail section of older Helm charts and many DaemonSets: `Parser docker` with
 * `Docker_Mode On` (Docker's 16 KB splits joined) and a short `Refresh_Interval`, then the
 * same kubernetes filter as {@link compareConf}.
 */
export function dockerModeConf(f: KubeFixture): string {
  return compareConf(f).replace(
    "    multiline.parser docker, cri\n",
    "    Parser docker\n    Docker_Mode On\n    Refresh_Interval 5\n",
  );
}

/** JSON lines of stdout as records. */
export function jsonLines(text: string): Record<string, unknown>[] {
  return text.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

/**
 * A record for comparison, as the JSON text Fluent Bit prints (key order kept): `date` is
 * dropped from records without a `time` key (lines no parser took: their date is the read time).
 */
export function normalise(r: Record<string, unknown>): string {
  const { date, ...rest } = r;
  return JSON.stringify("time" in rest ? { date, ...rest } : rest);
}

/** Records grouped by pod (order kept within a pod), for order-free comparison across files. */
export function byPod(records: Record<string, unknown>[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of records) {
    const pod = String((r.kubernetes as Record<string, unknown> | undefined)?.pod_name ?? "?");
    (out[pod] ??= []).push(normalise(r));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
