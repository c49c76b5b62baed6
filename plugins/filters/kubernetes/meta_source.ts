/**
 * Where pod and namespace metadata come from: the tag alone (`use_tag_for_meta`), files of
 * `kube_meta_preload_cache_dir`, the kubelet's `/pods` (`use_kubelet`) or the API server,
 * through the bounded caches and waits of {@link Lookups}.
 */
import type { RecordMap } from "../../../src/event/log_record.ts";
import type { PluginContext } from "../../../src/plugin.ts";
import { errorMessage } from "../../../src/error_message.ts";
import type { AnnotationProps, PropsContext } from "./annotations.ts";
import { type ApiAnswer, ApiClient, parseKubeUrl } from "./api_client.ts";
import type { Identity } from "./identity.ts";
import { ApiHealth, type Fetched, Lookups, type MissReason } from "./lookups.ts";
import type { KubeMetrics } from "./metrics.ts";
import type { KubernetesOptions } from "./options.ts";
import { namespaceMeta, type PodMeta, podMeta, tagMeta } from "./pod_meta.ts";
import { TokenFile } from "./token.ts";
import { OptionError } from "../../../src/plugin.ts";

/** Fluent Bit's cache size (`FLB_HASH_TABLE_SIZE`). */
export const CACHE_ENTRIES = 256;

/** What a chunk gets: the maps found, the annotation choices, and why a map is missing. */
export interface ChunkMeta {
  kube?: RecordMap;
  namespace?: RecordMap;
  props: AnnotationProps;
  /** Set when pod metadata was wanted and not had. */
  miss?: MissReason;
}

const NO_PROPS: AnnotationProps = {};

function findItem(list: RecordMap, ns: string, pod: string): RecordMap | undefined {
  const items = list.items;
  if (!Array.isArray(items)) return undefined;
  for (const item of items) {
    const meta = (item as RecordMap | null)?.metadata as RecordMap | undefined;
    if (meta?.name === pod && meta?.namespace === ns) return item as RecordMap;
  }
  return undefined;
}

/** The metadata of containers, from wherever the options say. */
export class MetaSource {
  #v: KubernetesOptions;
  #ctx: PluginContext;
  #metrics: KubeMetrics;
  #api: ApiClient | undefined;
  #kubelet: ApiClient | undefined;
  #pods: Lookups<PodMeta>;
  #namespaces: Lookups<RecordMap>;
  #props: PropsContext;
  #wantNamespace: boolean;
  #waitMs: number;

  /** A source for parsed `values`; throws OptionError for a bad `kube_url`. */
  constructor(v: KubernetesOptions, ctx: PluginContext, metrics: KubeMetrics, waitMs: number) {
    this.#v = v;
    this.#ctx = ctx;
    this.#metrics = metrics;
    this.#waitMs = waitMs;
    const health = new ApiHealth();
    this.#pods = new Lookups<PodMeta>(
      { capacity: CACHE_ENTRIES, ttlSeconds: v.kube_meta_cache_ttl, waitMs },
      health,
    );
    this.#namespaces = new Lookups<RecordMap>(
      { capacity: CACHE_ENTRIES, ttlSeconds: v.kube_meta_namespace_cache_ttl, waitMs },
      health,
    );
    this.#wantNamespace = v.namespace_labels || v.namespace_annotations;
    this.#props = {
      allowParser: v["k8s-logging.parser"],
      allowExclude: v["k8s-logging.exclude"],
      parsers: ctx.parsers,
      warn: (msg) => ctx.log.once("warn", msg, msg),
    };
    if (v.use_tag_for_meta) {
      ctx.log.info("no network access required (OK)");
      return;
    }
    let target;
    try {
      target = parseKubeUrl(v.kube_url);
    } catch (e) {
      throw new OptionError("kube_url", errorMessage(e));
    }
    const token = new TokenFile(v.kube_token_file, v.kube_token_ttl, {
      warn: (msg) => ctx.log.once("warn", `token:${msg}`, msg),
    });
    const client = (t: typeof target) =>
      new ApiClient({
        target: t,
        ...(v.kube_ca_file ? { caFile: v.kube_ca_file } : {}),
        ...(v.kube_ca_path ? { caPath: v.kube_ca_path } : {}),
        verify: v["tls.verify"],
        verifyHostname: v["tls.verify_hostname"],
        ...(v["tls.vhost"] ? { vhost: v["tls.vhost"] } : {}),
        token,
        bufferSize: v.buffer_size,
        timeoutMs: 30_000,
        warn: (msg) => ctx.log.once("warn", `tls:${msg}`, msg),
      });
    this.#api = client(target);
    ctx.log.info(`https=${target.tls ? 1 : 0} host=${target.host} port=${target.port}`);
    if (v.use_kubelet) {
      this.#kubelet = client({ tls: true, host: v.kubelet_host, port: v.kubelet_port });
    }
  }

  /** The metadata for a chunk of container `id`. */
  async lookup(id: Identity): Promise<ChunkMeta> {
    const out: ChunkMeta = { props: NO_PROPS };
    const ns = id.namespace;
    if (this.#wantNamespace && ns !== undefined) {
      const got = await this.#namespaces.get(
        ns,
        () => this.#fetchNamespace(ns),
        (reason, status) => this.#failed(`namespace ${ns}`, reason, status),
      );
      if (typeof got !== "string") out.namespace = got;
    }
    if (this.#v.namespace_metadata_only) return out;
    if (this.#v.use_tag_for_meta) {
      out.kube = tagMeta(id);
      return out;
    }
    const pod = id.podName;
    if (ns === undefined || pod === undefined) {
      out.kube = tagMeta(id);
      return out;
    }
    let key = `${ns}:${pod}`;
    if (id.containerName !== undefined) key += `:${id.containerName}`;
    if (this.#v.cache_use_docker_id && id.dockerId !== undefined) key += `:${id.dockerId}`;
    const labels = { name: this.#ctx.name };
    const cached = this.#pods.cached(key);
    if (cached !== undefined) {
      this.#metrics.cacheHits.inc(labels);
      out.kube = cached.kube;
      out.props = cached.props;
      return out;
    }
    this.#metrics.cacheMisses.inc(labels);
    const got = await this.#pods.get(
      key,
      () => this.#fetchPod(id, ns, pod),
      (reason, status) => this.#failed(`pod ${ns}/${pod}`, reason, status),
    );
    this.#metrics.cacheEntries.set(labels, this.#pods.size);
    if (typeof got === "string") {
      out.miss = got;
      if (got === "timeout") {
        this.#ctx.log.once(
          "warn",
          "timeout",
          `no answer from the Kubernetes API within ${this.#waitSeconds()} s for pod ${ns}/${pod}; ` +
            "records pass without kubernetes metadata until it answers " +
            "(counted in sluice_filter_kubernetes_records_without_metadata_total)",
        );
      }
      return out;
    }
    out.kube = got.kube;
    out.props = got.props;
    return out;
  }

  #waitSeconds(): number {
    return this.#waitMs / 1000;
  }

  #failed(what: string, reason: string, status: number | undefined): void {
    const kind = status === undefined ? "error" : String(status);
    this.#metrics.requests.inc({ name: this.#ctx.name, result: kind });
    this.#ctx.log.once(
      "warn",
      `failed:${kind}`,
      `cannot get metadata of ${what}: ${reason}; its records pass without it ` +
        "(counted in sluice_filter_kubernetes_records_without_metadata_total)",
    );
    this.#ctx.log.debug(`cannot get metadata of ${what}: ${reason}`);
  }

  async #preload(file: string): Promise<RecordMap | undefined> {
    const dir = this.#v.kube_meta_preload_cache_dir;
    if (dir === undefined) return undefined;
    try {
      const json: unknown = JSON.parse(await Deno.readTextFile(`${dir}/${file}`));
      return typeof json === "object" && json !== null ? json as RecordMap : undefined;
    } catch {
      return undefined;
    }
  }

  #answer(a: ApiAnswer): Fetched<RecordMap> {
    if (a.ok) {
      this.#metrics.requests.inc({ name: this.#ctx.name, result: "ok" });
      return { ok: true, value: a.json };
    }
    return a; // a failure is a Fetched failure as it is
  }

  async #fetchPod(id: Identity, ns: string, pod: string): Promise<Fetched<PodMeta>> {
    const options = {
      labels: this.#v.labels,
      annotations: this.#v.annotations,
      ownerReferences: this.#v.owner_references,
    };
    const file = await this.#preload(`${ns}_${pod}.meta`);
    if (file) return { ok: true, value: podMeta(file, id, options, this.#props) };
    if (this.#kubelet) {
      const r = this.#answer(await this.#kubelet.get("/pods"));
      if (!r.ok) return r;
      const item = findItem(r.value, ns, pod);
      if (!item) {
        return {
          ok: false,
          reason: `pod ${ns}/${pod} is not in the kubelet's /pods`,
          unreachable: false,
        };
      }
      return { ok: true, value: podMeta(item, id, options, this.#props) };
    }
    const path = `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(pod)}`;
    const r = this.#answer(await this.#api!.get(path));
    return r.ok ? { ok: true, value: podMeta(r.value, id, options, this.#props) } : r;
  }

  async #fetchNamespace(ns: string): Promise<Fetched<RecordMap>> {
    const options = {
      labels: this.#v.namespace_labels,
      annotations: this.#v.namespace_annotations,
    };
    const file = await this.#preload(`${ns}.namespace_meta`);
    if (file) return { ok: true, value: namespaceMeta(file, ns, options) };
    if (!this.#api) return { ok: false, reason: "no API server", unreachable: false };
    const r = this.#answer(await this.#api.get(`/api/v1/namespaces/${encodeURIComponent(ns)}`));
    return r.ok ? { ok: true, value: namespaceMeta(r.value, ns, options) } : r;
  }

  /** Closes the API connections. */
  close(): void {
    this.#api?.close();
    this.#kubelet?.close();
  }
}
