/**
 * The `kubernetes` filter: enrich container log records (tail's `kube.*` tags) with pod
 * metadata from the Kubernetes API server or the kubelet, merge JSON `log` fields, and
 * honour the `fluentbit.io/parser` and `fluentbit.io/exclude` pod annotations.
 */
import { defineFilter } from "../../../src/plugin.ts";
import { kubernetesOptions } from "./options.ts";

/** The kubernetes filter plugin. */
export const plugin = defineFilter({
  name: "kubernetes",
  description: "Enrich container logs with Kubernetes pod metadata",
  options: kubernetesOptions,
  example: {
    options: { use_tag_for_meta: true, merge_log: true, kube_tag_prefix: "kube.test." },
    samples: { logs: [{ log: '{"level":"info"}\n', stream: "stdout" }, { log: "plain text" }] },
  },
  create: async (values, ctx) => (await import("./kubernetes.ts")).createKubernetes(values, ctx),
});
