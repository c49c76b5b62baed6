/** Helpers of the kubernetes filter's tests: a filter against a fixture API, chunk tags. */
import { defaultsOf } from "../../../src/config/options.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import type { RecordMap } from "../../../src/event/log_record.ts";
import {
  logChunk,
  type TestFilterContext,
  testFilterContext,
} from "../../../src/testing/filter_context.ts";
import { type KubeApi, readKubeObjects, startKubeApi } from "../../../src/testing/kube_api.ts";
import type { ParserRegistry } from "../../../src/parsers/types.ts";
import { KubernetesFilter } from "./kubernetes.ts";
import { type KubernetesOptions, kubernetesOptions } from "./options.ts";

/** The 64-hex container id the test tags carry. */
export const DOCKER_ID = "c9898099f6d235126d564ed38a020007ea7a6fac6e25e718de683c9dd0076c16";

/** The tail tag of a container's log file. */
export function kubeTag(pod: string, ns: string, container: string, id = DOCKER_ID): string {
  return `kube.var.log.containers.${pod}_${ns}_${container}-${id}.log`;
}

/** A fixture API serving the objects of testdata/kubernetes/api plus `extra` pods. */
export async function fixtureApi(extra: Record<string, unknown>[] = []): Promise<KubeApi> {
  const dir = new URL("../../../testdata/kubernetes/api", import.meta.url).pathname;
  const { pods, namespaces } = await readKubeObjects(dir);
  return await startKubeApi({ pods: [...pods, ...extra], namespaces });
}

/** A filter pointed at `api`, with `options` over the defaults. */
export function filterFor(
  api: KubeApi,
  options: Partial<KubernetesOptions> = {},
  extra: { waitMs?: number; parsers?: ParserRegistry } = {},
): { filter: KubernetesFilter; ctx: TestFilterContext } {
  const ctx = testFilterContext({
    name: "kubernetes.0",
    ...(extra.parsers ? { parsers: extra.parsers } : {}),
  });
  const values: KubernetesOptions = {
    ...defaultsOf(kubernetesOptions),
    kube_url: api.url,
    kube_ca_file: api.caFile,
    kube_token_file: api.tokenFile,
    ...options,
  };
  const filter = new KubernetesFilter(values, ctx, { waitMs: extra.waitMs ?? 3000 });
  return { filter, ctx };
}

/** The bodies out of one `process` call on a chunk of `bodies` tagged `tag`. */
export async function run(
  filter: KubernetesFilter,
  tag: string,
  bodies: RecordMap[],
): Promise<RecordMap[]> {
  const out: Chunk | null = await filter.process(logChunk(bodies, tag));
  if (out === null || out.signal !== "logs") return [];
  return out.records.map((r) => r.body);
}
