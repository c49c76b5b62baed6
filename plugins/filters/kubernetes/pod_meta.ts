/**
 * The `kubernetes` map Fluent Bit builds from a pod (`merge_pod_meta` in kube_meta.c):
 * tag fields and API fields in its order, container hash and image from the container's
 * status, and the `fluentbit.io/*` annotation properties.
 */
import type { RecordMap } from "../../../src/event/log_record.ts";
import { type AnnotationProps, annotationProps, type PropsContext } from "./annotations.ts";
import type { Identity } from "./identity.ts";

/** What the pod map includes, from the options. */
export interface PodMetaOptions {
  labels: boolean;
  annotations: boolean;
  ownerReferences: boolean;
}

/** One cached pod: the `kubernetes` map and the annotation properties. */
export interface PodMeta {
  /** The `kubernetes` map as records get it. */
  kube: RecordMap;
  /** Parser and exclusion choices from the pod's annotations. */
  props: AnnotationProps;
}

function asMap(v: unknown): RecordMap | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? v as RecordMap : undefined;
}

/**
 * The part after `scheme://` (`docker://abc` → `abc`); the whole value when its first colon
 * is not followed by a slash; undefined without a colon (Fluent Bit's `extract_hash`).
 */
export function stripScheme(value: string): string | undefined {
  const colon = value.indexOf(":");
  if (value.length <= 1 || colon < 0) return undefined;
  let at = colon;
  while (value[at + 1] === "/") at++;
  return at === colon ? value : value.slice(at + 1);
}

interface ContainerFacts {
  dockerId?: string;
  hash?: string;
  image?: string;
}

/** The status entry of `container` among `containerStatuses`, then `initContainerStatuses`. */
function containerFacts(status: RecordMap, container: string | undefined): ContainerFacts {
  for (const key of Object.keys(status)) {
    if (key !== "containerStatuses" && key !== "initContainerStatuses") continue;
    const list = status[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const entry = asMap(item);
      if (!entry || entry.name !== container) continue;
      const facts: ContainerFacts = {};
      if (typeof entry.containerID === "string") {
        const id = stripScheme(entry.containerID);
        if (id) facts.dockerId = id;
      }
      if (typeof entry.imageID === "string") {
        const hash = stripScheme(entry.imageID);
        if (hash) facts.hash = hash;
      }
      if (typeof entry.image === "string" && entry.image !== "") facts.image = entry.image;
      return facts;
    }
  }
  return {};
}

/** The `kubernetes` map from the tag alone (`use_tag_for_meta`). */
export function tagMeta(id: Identity): RecordMap {
  const kube: RecordMap = {};
  if (id.podName !== undefined) kube.pod_name = id.podName;
  if (id.namespace !== undefined) kube.namespace_name = id.namespace;
  if (id.containerName !== undefined) kube.container_name = id.containerName;
  if (id.dockerId !== undefined) kube.docker_id = id.dockerId;
  return kube;
}

/**
 * The pod's `kubernetes` map and annotation properties, from the API's pod object
 * (`GET /api/v1/namespaces/NS/pods/POD`, or the kubelet's `/pods` item).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const pod = {
 *   metadata: { uid: "u1", labels: { app: "a" }, annotations: { team: "x" } },
 *   spec: { nodeName: "n1" },
 *   status: {
 *     podIP: "10.1.2.3",
 *     containerStatuses: [{
 *       name: "app",
 *       image: "nginx:1.27",
 *       imageID: "docker-pullable://nginx@sha256:ab",
 *     }],
 *   },
 * };
 * const id = { podName: "web", namespace: "prod", containerName: "app", dockerId: "d" };
 * const meta = podMeta(pod, id, { labels: true, annotations: false, ownerReferences: false });
 * assertEquals(meta.kube, {
 *   pod_name: "web",
 *   namespace_name: "prod",
 *   pod_id: "u1",
 *   labels: { app: "a" },
 *   host: "n1",
 *   pod_ip: "10.1.2.3",
 *   container_name: "app",
 *   docker_id: "d",
 *   container_hash: "nginx@sha256:ab",
 *   container_image: "nginx:1.27",
 * });
 * ```
 */
export function podMeta(
  pod: RecordMap,
  id: Identity,
  options: PodMetaOptions,
  props?: PropsContext,
): PodMeta {
  const metadata = asMap(pod.metadata);
  const spec = asMap(pod.spec);
  const status = asMap(pod.status);
  const kube: RecordMap = {};
  if (id.podName !== undefined) kube.pod_name = id.podName;
  if (id.namespace !== undefined) kube.namespace_name = id.namespace;
  if (metadata) {
    if ("uid" in metadata) kube.pod_id = metadata.uid;
    if (options.labels && "labels" in metadata) kube.labels = metadata.labels;
    if (options.annotations && "annotations" in metadata) kube.annotations = metadata.annotations;
    if (options.ownerReferences && "ownerReferences" in metadata) {
      kube.ownerReferences = metadata.ownerReferences;
    }
  }
  if (spec && "nodeName" in spec) kube.host = spec.nodeName;
  if (status && "podIP" in status) kube.pod_ip = status.podIP;
  const facts = status ? containerFacts(status, id.containerName) : {};
  if (id.containerName !== undefined) kube.container_name = id.containerName;
  const dockerId = id.dockerId ?? facts.dockerId;
  if (dockerId !== undefined) kube.docker_id = dockerId;
  const hash = id.containerHash ?? facts.hash;
  if (hash !== undefined) kube.container_hash = hash;
  if (facts.image !== undefined) kube.container_image = facts.image;
  const annotations = metadata ? asMap(metadata.annotations) : undefined;
  return { kube, props: annotationProps(annotations, id, props) };
}

/** The `kubernetes_namespace` map: the name, then labels and annotations as enabled. */
export function namespaceMeta(
  ns: RecordMap,
  name: string,
  options: { labels: boolean; annotations: boolean },
): RecordMap {
  const out: RecordMap = { name };
  const metadata = asMap(ns.metadata);
  if (metadata && options.labels && "labels" in metadata) out.labels = metadata.labels;
  if (metadata && options.annotations && "annotations" in metadata) {
    out.annotations = metadata.annotations;
  }
  return out;
}
