/** The kubernetes filter's option table: Fluent Bit 4.2.8's `filter_kubernetes` keys. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";

const SA = "/var/run/secrets/kubernetes.io/serviceaccount";

/** Every key of Fluent Bit's kubernetes filter (besides the common filter keys). */
export const kubernetesOptions = {
  buffer_size: opt.size(32 * 1024, "Largest API answer read (0 = no limit); a larger one fails"),
  "tls.debug": opt.int(0, "Accepted for compatibility"),
  "tls.verify": opt.bool(true, "Check the API server's certificate"),
  "tls.vhost": opt.string(undefined, "TLS server name (SNI) to send"),
  "tls.verify_hostname": opt.bool(false, "Also check the certificate names the API host"),
  merge_log: opt.bool(false, "Parse the log field (JSON by default) and merge its keys"),
  merge_parser: opt.string(undefined, "Parser for the log field instead of JSON"),
  merge_log_key: opt.string(undefined, "Put the merged keys under this key"),
  merge_log_trim: opt.bool(true, "Strip trailing newlines from merged string values"),
  keep_log: opt.bool(true, "Keep the log field after a successful merge"),
  kube_url: opt.string("https://kubernetes.default.svc", "API server URL, http(s)://host[:port]"),
  kube_meta_preload_cache_dir: opt.string(
    undefined,
    "Directory of <namespace>_<pod>.meta JSON files read instead of asking the API",
  ),
  kube_ca_file: opt.string(`${SA}/ca.crt`, "CA file trusted for the API server"),
  kube_ca_path: opt.string(undefined, "Directory of CA files trusted for the API server"),
  kube_tag_prefix: opt.string("kube.var.log.containers.", "Tag prefix cut before the regex"),
  kube_token_file: opt.string(`${SA}/token`, "Bearer token file (re-read when it changes)"),
  kube_token_command: opt.string(undefined, "Command printing the token (not supported)"),
  labels: opt.bool(true, "Add the pod's labels"),
  annotations: opt.bool(true, "Add the pod's annotations"),
  owner_references: opt.bool(false, "Add the pod's ownerReferences"),
  namespace_labels: opt.bool(false, "Add the namespace's labels under kubernetes_namespace"),
  namespace_annotations: opt.bool(false, "Add the namespace's annotations"),
  namespace_metadata_only: opt.bool(false, "Fetch only namespace metadata, not the pod's"),
  "k8s-logging.parser": opt.bool(false, "Honour the fluentbit.io/parser pod annotation"),
  "k8s-logging.exclude": opt.bool(false, "Honour the fluentbit.io/exclude pod annotation"),
  use_journal: opt.bool(false, "journald mode (not supported)"),
  regex_parser: opt.string(undefined, "regex parser replacing the built-in tag regex"),
  dummy_meta: opt.bool(false, "Tests only: fixed dummy metadata"),
  dns_retries: opt.int(6, "Accepted for compatibility"),
  dns_wait_time: opt.duration(30, "Accepted for compatibility"),
  cache_use_docker_id: opt.bool(false, "Add docker_id to the cache key"),
  use_tag_for_meta: opt.bool(false, "Only the tag's fields; never ask the API"),
  use_kubelet: opt.bool(false, "Ask the kubelet (GET /pods) instead of the API server"),
  kubelet_host: opt.string("127.0.0.1", "Kubelet host"),
  kubelet_port: opt.int(10250, "Kubelet port"),
  kube_token_ttl: opt.duration(600, "Seconds before the token file is read again"),
  kube_meta_cache_ttl: opt.duration(0, "Pod cache TTL (0 = none: bounded, oldest evicted)"),
  kube_meta_namespace_cache_ttl: opt.duration(900, "Namespace cache TTL"),
  aws_use_pod_association: opt.bool(false, "AWS entity enrichment (not supported)"),
  use_pod_association: opt.bool(false, "AWS entity enrichment (not supported)"),
  aws_pod_association_host: opt.string("cloudwatch-agent.amazon-cloudwatch", "Not supported"),
  aws_pod_association_endpoint: opt.string("/kubernetes/pod-to-service-env-map", "Not supported"),
  aws_pod_association_port: opt.int(4311, "Not supported"),
  aws_pod_service_map_ttl: opt.int(0, "Not supported"),
  aws_pod_service_map_refresh_interval: opt.int(60, "Not supported"),
  aws_pod_service_preload_cache_dir: opt.string(undefined, "Not supported"),
  aws_pod_association_host_server_ca_file: opt.string(
    "/etc/amazon-cloudwatch-observability-agent-server-cert/tls-ca.crt",
    "Not supported",
  ),
  aws_pod_association_host_client_cert_file: opt.string(
    "/etc/amazon-cloudwatch-observability-agent-client-cert/client.crt",
    "Not supported",
  ),
  aws_pod_association_host_client_key_file: opt.string(
    "/etc/amazon-cloudwatch-observability-agent-client-cert/client.key",
    "Not supported",
  ),
  aws_pod_association_host_tls_debug: opt.int(0, "Not supported"),
  aws_pod_association_host_tls_verify: opt.bool(true, "Not supported"),
  set_platform: opt.string(undefined, "Not supported"),
} satisfies OptionTable;

/** Parsed kubernetes filter options. */
export type KubernetesOptions = OptionValues<typeof kubernetesOptions>;
