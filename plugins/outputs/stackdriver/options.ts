/**
 * The option table of the stackdriver output (Fluent Bit's `out_stackdriver`, 4.2.8 keys
 * and defaults): credentials (a service account file, email and key, or the metadata
 * server), the monitored resource and its labels, and the record keys that become fields
 * of each LogEntry.
 */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { netClientOptions, tlsClientOptions } from "../../../src/net/http_client/mod.ts";

const K = "logging.googleapis.com";

/** Every key of the stackdriver output (besides the common output keys). */
export const stackdriverOptions = {
  google_service_credentials: opt.string(
    undefined,
    "Service account JSON key file (default: GOOGLE_APPLICATION_CREDENTIALS or " +
      "GOOGLE_SERVICE_CREDENTIALS)",
  ),
  metadata_server: opt.string(
    undefined,
    "GCE metadata server URL (default: METADATA_SERVER, else http://metadata.google.internal)",
  ),
  service_account_email: opt.string(undefined, "Service account email (or SERVICE_ACCOUNT_EMAIL)"),
  service_account_secret: opt.string(
    undefined,
    "Service account private key, PEM (or SERVICE_ACCOUNT_SECRET)",
  ),
  export_to_project_id: opt.string(
    undefined,
    "Project the entries are written to (default: the credentials' project)",
  ),
  project_id_key: opt.string(
    `${K}/projectId`,
    "Record key whose value overrides the project of logName",
  ),
  resource: opt.string(
    "global",
    "Monitored resource type: global, gce_instance, generic_node, generic_task, k8s_container, " +
      "k8s_pod, k8s_node, k8s_cluster, or any type whose labels resource_labels gives",
  ),
  severity_key: opt.string(`${K}/severity`, "Record key holding the severity (DEBUG, INFO, ...)"),
  autoformat_stackdriver_trace: opt.bool(
    false,
    "Write trace as projects/<project>/traces/<trace>",
  ),
  trace_key: opt.string(`${K}/trace`, "Record key holding the trace"),
  span_id_key: opt.string(`${K}/spanId`, "Record key holding the span id"),
  trace_sampled_key: opt.string(`${K}/traceSampled`, "Record key holding traceSampled (a boolean)"),
  log_name_key: opt.string(
    `${K}/logName`,
    "Record key whose value is the log name (default: the tag)",
  ),
  http_request_key: opt.string(
    `${K}/http_request`,
    "Record key of the map written as the entry's httpRequest",
  ),
  k8s_cluster_name: opt.string(undefined, "Cluster name of the k8s_* resources"),
  k8s_cluster_location: opt.string(undefined, "Cluster location of the k8s_* resources"),
  location: opt.string(undefined, "Location of the generic_node and generic_task resources"),
  namespace: opt.string(undefined, "Namespace of the generic_node and generic_task resources"),
  node_id: opt.string(undefined, "node_id of the generic_node resource"),
  job: opt.string(undefined, "job of the generic_task resource"),
  task_id: opt.string(undefined, "task_id of the generic_task resource"),
  compress: opt.string(undefined, "Compress request bodies: gzip", { choices: ["gzip", "none"] }),
  labels: opt.list([], "Labels added to every entry, as key=value (comma separated)"),
  labels_key: opt.string(`${K}/labels`, "Record key holding a map of entry labels"),
  tag_prefix: opt.string(undefined, "Tag prefix before the local resource id (k8s: '<resource>.')"),
  stackdriver_agent: opt.string(undefined, "Accepted for compatibility"),
  custom_k8s_regex: opt.string(
    undefined,
    "Regex (named groups pod_name, namespace_name, container_name, node_name) read from the " +
      "tag after tag_prefix; default: <pod>_<namespace>_<container>-<id>.log",
  ),
  resource_labels: opt.list(
    [],
    "Resource labels as label=value or label=$record_key (from the chunk's first record); " +
      "project_id is added",
  ),
  text_payload_key: opt.string(
    undefined,
    "Record key written as textPayload when it is the record's only other key",
  ),
  test_log_entry_format: opt.bool(false, "Accepted for compatibility (Fluent Bit's test mode)"),
  cloud_logging_base_url: opt.string(
    "https://logging.googleapis.com",
    "Base URL of the Cloud Logging API",
  ),
  ...tlsClientOptions,
  ...netClientOptions,
} satisfies OptionTable;

/** Parsed stackdriver output options. */
export type StackdriverOptions = OptionValues<typeof stackdriverOptions>;
