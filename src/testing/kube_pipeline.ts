/**
 * The log pipeline of Fluent Bit's Helm chart as classic config sections, pointed at a
 * fixture API (kube_api.ts) and a scratch `var/log/containers` directory: tail (CRI and
 * docker multiline) + kubernetes (merge, annotations). Shared by the end-to-end tests and
 * `bench/k8s.ts`, which add their own [SERVICE] and [OUTPUT].
 */
import type { KubeApi } from "./kube_api.ts";

/** What the pipeline reads and asks. */
export interface KubePipelineTarget {
  /** The fixture API. */
  api: Pick<KubeApi, "url" | "caFile" | "tokenFile">;
  /** The container log directory tail reads (`.../var/log/containers`). */
  logDir: string;
}

/**
 * The tag prefix tail's `Tag kube.*` gives files of `logDir`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * assertEquals(kubeTagPrefix("/tmp/x/var/log/containers"), "kube.tmp.x.var.log.containers.");
 * ```
 */
export function kubeTagPrefix(logDir: string): string {
  return `kube${logDir.replaceAll("/", ".")}.`;
}

/** The kubernetes filter keys that point at the fixture instead of the in-cluster defaults. */
export function kubeFilterKeys(t: KubePipelineTarget): string {
  return [
    `    Kube_URL ${t.api.url}`,
    `    Kube_CA_File ${t.api.caFile}`,
    `    Kube_Token_File ${t.api.tokenFile}`,
    `    Kube_Tag_Prefix ${kubeTagPrefix(t.logDir)}`,
  ].join("\n");
}

/**
 * The [INPUT] tail and [FILTER] kubernetes sections of the Helm chart's default pipeline
 * (read from the head, Merge_Log On, Keep_Log Off, annotations on).
 *
 * @example
 * ```ts
 * import { assert } from "./assert.ts";
 *
 * const text = kubePipeline({
 *   api: { url: "https://127.0.0.1:6443", caFile: "/ca.pem", tokenFile: "/token" },
 *   logDir: "/tmp/var/log/containers",
 * });
 * assert(text.includes("    Path /tmp/var/log/containers/*.log\n"));
 * assert(text.includes("    Kube_Tag_Prefix kube.tmp.var.log.containers.\n"));
 * ```
 */
export function kubePipeline(t: KubePipelineTarget): string {
  return `[INPUT]
    Name tail
    Path ${t.logDir}/*.log
    multiline.parser docker, cri
    Tag kube.*
    Read_From_Head On
    Mem_Buf_Limit 5MB
    Skip_Long_Lines On

[FILTER]
    Name kubernetes
    Match kube.*
${kubeFilterKeys(t)}
    Merge_Log On
    Keep_Log Off
    K8S-Logging.Parser On
    K8S-Logging.Exclude On
`;
}
