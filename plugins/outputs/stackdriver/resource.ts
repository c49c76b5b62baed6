/**
 * The monitored resource of a request: its type and labels, from the options (project,
 * generic_node/generic_task keys, the k8s cluster), the metadata server (gce_instance zone
 * and instance id) and, for k8s resources, the local resource id of the chunk's first record
 * (`logging.googleapis.com/local_resource_id`, else the tag): `k8s_container.<namespace>.
 * <pod>.<container>`, `k8s_pod.<namespace>.<pod>`, `k8s_node.<node>`.
 */
import type { LogRecord } from "../../../src/event/log_record.ts";
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";
import { compileAccessor } from "../../../src/event/record_accessor.ts";
import { OptionError } from "../../../src/plugin.ts";
import { LOCAL_RESOURCE_ID_KEY } from "./entries.ts";
import type { StackdriverOptions } from "./options.ts";

/** Fluent Bit's default custom_k8s_regex: `<pod>_<namespace>_<container>-<docker id>.log`. */
export const DEFAULT_K8S_REGEX =
  "(?<pod_name>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)_" +
  "(?<namespace_name>[^_]+)_(?<container_name>.+)-(?<docker_id>[a-z0-9]{64})\\.log$";

const compiled = new Map<string, RegExp>();

function k8sRegex(pattern: string | undefined): RegExp {
  const p = pattern ?? DEFAULT_K8S_REGEX;
  let re = compiled.get(p);
  if (!re) {
    re = compileOnigmo(p);
    compiled.set(p, re);
  }
  return re;
}

/** The resource types sluice knows. */
export const RESOURCE_TYPES = [
  "global",
  "gce_instance",
  "generic_node",
  "generic_task",
  "k8s_container",
  "k8s_pod",
  "k8s_node",
  "k8s_cluster",
] as const;

/** A request's `resource`. */
export interface Resource {
  type: string;
  labels: Record<string, string>;
}

/** The labels each resource type must have, as Fluent Bit checks `resource_labels`. */
const REQUIRED: Record<string, readonly string[]> = {
  k8s_container: ["cluster_name", "location"],
  k8s_pod: ["cluster_name", "location"],
  k8s_node: ["cluster_name", "location"],
  k8s_cluster: ["cluster_name", "location"],
  generic_node: ["location", "namespace", "node_id"],
  generic_task: ["location", "namespace", "job", "task_id"],
};

/** `resource_labels` as `[label, source]` pairs; throws OptionError for an entry without `=`. */
export function parseResourceLabels(list: readonly string[]): [string, string][] {
  return list.map((entry) => {
    const i = entry.indexOf("=");
    const key = i < 0 ? "" : entry.slice(0, i).trim();
    const value = i < 0 ? "" : entry.slice(i + 1).trim();
    if (key === "" || value === "") {
      throw new OptionError(
        "resource_labels",
        `Cannot parse "resource_labels" entry ${
          JSON.stringify(entry)
        }: expected label=value or label=$key`,
      );
    }
    return [key, value];
  });
}

/**
 * Checks the keys `o.resource` needs; throws OptionError naming the missing one. Returns the
 * `resource_labels` to use: any resource type may be written with them, as long as they
 * hold the labels its type requires (else they are not used, with a warning, as in Fluent Bit).
 */
export function checkResource(
  o: StackdriverOptions,
  warn: (message: string) => void = () => {},
): [string, string][] | undefined {
  if (o.custom_k8s_regex !== undefined) {
    try {
      k8sRegex(o.custom_k8s_regex);
    } catch (e) {
      throw new OptionError("custom_k8s_regex", (e as Error).message);
    }
  }
  const given = parseResourceLabels(o.resource_labels);
  if (given.length > 0) {
    const missing = (REQUIRED[o.resource] ?? []).find((l) => !given.some(([k]) => k === l));
    if (missing === undefined) return given;
    warn(
      `labels set in resource_labels will not be applied, as the required resource label ` +
        `[${missing}] is missing`,
    );
  }
  if (!(RESOURCE_TYPES as readonly string[]).includes(o.resource)) {
    throw new OptionError(
      "resource",
      `Cannot use "resource" ${JSON.stringify(o.resource)}: expected one of ${
        RESOURCE_TYPES.join(", ")
      }, or any type with its labels in resource_labels`,
    );
  }
  const need = (key: keyof StackdriverOptions & string, value: unknown) => {
    if (value === undefined || value === "") {
      throw new OptionError(key, `Cannot use "resource" ${o.resource} without "${key}"`);
    }
  };
  if (o.resource.startsWith("k8s_")) {
    need("k8s_cluster_name", o.k8s_cluster_name);
    need("k8s_cluster_location", o.k8s_cluster_location);
  }
  if (o.resource === "generic_node" || o.resource === "generic_task") {
    need("location", o.location);
    need("namespace", o.namespace);
    if (o.resource === "generic_node") need("node_id", o.node_id);
    else {
      need("job", o.job);
      need("task_id", o.task_id);
    }
  }
  return undefined;
}

/** What the resource labels come from besides the options. */
export interface ResourceFacts {
  project: string;
  /** `resource_labels` in use (from {@link checkResource}): `$key` values read from the first record. */
  resourceLabels?: [string, string][];
  zone?: string;
  instanceId?: string;
}

/**
 * The resource of a chunk of records with `tag`; undefined when a k8s resource's local id
 * cannot be read (the reason is given).
 */
export function resourceOf(
  o: StackdriverOptions,
  facts: ResourceFacts,
  records: readonly LogRecord[],
  tag: string,
): Resource | { error: string } {
  const type = o.resource;
  const p = facts.project;
  if (facts.resourceLabels) {
    const labels: Record<string, string> = {};
    const body = records[0]?.body ?? {};
    for (const [k, src] of facts.resourceLabels) {
      if (!src.startsWith("$")) {
        labels[k] = src;
        continue;
      }
      const v = compileAccessor(src).get(body);
      if (typeof v === "string") labels[k] = v;
    }
    labels.project_id = p;
    return { type, labels };
  }
  switch (type) {
    case "global":
      return { type, labels: { project_id: p } };
    case "gce_instance":
      return {
        type,
        labels: {
          project_id: p,
          ...(facts.zone ? { zone: facts.zone } : {}),
          ...(facts.instanceId ? { instance_id: facts.instanceId } : {}),
        },
      };
    case "generic_node":
      return {
        type,
        labels: {
          node_id: o.node_id!,
          project_id: p,
          location: o.location!,
          namespace: o.namespace!,
        },
      };
    case "generic_task":
      return {
        type,
        labels: {
          job: o.job!,
          task_id: o.task_id!,
          project_id: p,
          location: o.location!,
          namespace: o.namespace!,
        },
      };
  }
  const cluster = {
    project_id: p,
    location: o.k8s_cluster_location!,
    cluster_name: o.k8s_cluster_name!,
  };
  if (type === "k8s_cluster") return { type, labels: cluster };
  const first = records[0]?.body[LOCAL_RESOURCE_ID_KEY];
  const prefix = o.tag_prefix ?? `${type}.`;
  // A tag (then a local resource id) that matches custom_k8s_regex after the prefix gives
  // the labels by the regex's named groups, as for tail's kubernetes file names.
  for (const text of [tag, typeof first === "string" ? first : undefined]) {
    if (text === undefined || !text.startsWith(prefix)) continue;
    const groups = k8sRegex(o.custom_k8s_regex).exec(text.slice(prefix.length))?.groups;
    if (!groups) continue;
    const g = (k: string) => groups[k] || undefined;
    const labels: Record<string, string> = { ...cluster };
    if (type === "k8s_node") {
      if (g("node_name")) labels.node_name = g("node_name")!;
    } else {
      if (g("namespace_name")) labels.namespace_name = g("namespace_name")!;
      if (g("pod_name")) labels.pod_name = g("pod_name")!;
      if (type === "k8s_container" && g("container_name")) {
        labels.container_name = g("container_name")!;
      }
    }
    return { type, labels };
  }
  const id = typeof first === "string" ? first : tag;
  if (!id.toLowerCase().startsWith(prefix.toLowerCase())) {
    return {
      error: `the local resource id ${
        JSON.stringify(id)
      } does not start with tag_prefix "${prefix}"`,
    };
  }
  const parts = id.slice(prefix.length).split(".");
  const want = type === "k8s_container" ? 3 : type === "k8s_pod" ? 2 : 1;
  if (parts.length < want || parts.slice(0, want).some((x) => x === "")) {
    return { error: `the local resource id ${JSON.stringify(id)} does not name a ${type}` };
  }
  if (type === "k8s_node") return { type, labels: { ...cluster, node_name: parts.join(".") } };
  const named = { ...cluster, namespace_name: parts[0]!, pod_name: parts[1]! };
  if (type === "k8s_pod") return { type, labels: named };
  return { type, labels: { ...named, container_name: parts.slice(2).join(".") } };
}
