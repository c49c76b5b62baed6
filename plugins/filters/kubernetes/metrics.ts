/** The kubernetes filter's metrics (sluice's own; Fluent Bit's filter has none of its own). */
import type { MetricFamily, PluginMetrics } from "../../../src/plugin.ts";

/** The filter's metric families. */
export interface KubeMetrics {
  /** API requests by result (`ok`, an HTTP status, `error`). */
  requests: MetricFamily;
  /** Lookups answered from the cache. */
  cacheHits: MetricFamily;
  /** Lookups that needed the API. */
  cacheMisses: MetricFamily;
  /** Pods cached. */
  cacheEntries: MetricFamily;
  /** Records passed without pod metadata, by reason (`failed`, `timeout`, `backoff`). */
  withoutMeta: MetricFamily;
  /** Records of chunks whose tag gives no pod identity, passed untouched. */
  untouched: MetricFamily;
  /** Records dropped by a `fluentbit.io/exclude` annotation. */
  excluded: MetricFamily;
}

/** The families, created in `metrics`, with the series of `name` shown at 0. */
export function kubeMetrics(metrics: PluginMetrics, name: string): KubeMetrics {
  const m: KubeMetrics = {
    requests: metrics.counter(
      "sluice_filter_kubernetes_api_requests_total",
      "Kubernetes API requests, by result",
    ),
    cacheHits: metrics.counter(
      "sluice_filter_kubernetes_cache_hits_total",
      "Metadata lookups answered from the cache",
    ),
    cacheMisses: metrics.counter(
      "sluice_filter_kubernetes_cache_misses_total",
      "Metadata lookups that needed the API",
    ),
    cacheEntries: metrics.gauge("sluice_filter_kubernetes_cache_entries", "Pods in the cache"),
    withoutMeta: metrics.counter(
      "sluice_filter_kubernetes_records_without_metadata_total",
      "Records passed without pod metadata, by reason",
    ),
    untouched: metrics.counter(
      "sluice_filter_kubernetes_untouched_records_total",
      "Records whose tag gives no pod identity, passed untouched",
    ),
    excluded: metrics.counter(
      "sluice_filter_kubernetes_excluded_records_total",
      "Records dropped by a fluentbit.io/exclude annotation",
    ),
  };
  for (const f of [m.cacheHits, m.cacheMisses, m.untouched, m.excluded]) f.touch({ name });
  m.cacheEntries.set({ name }, 0);
  return m;
}
