/**
 * A container's identity from the record tag: Fluent Bit cuts `kube_tag_prefix` off the
 * tag (without checking it matches) and runs its tag regex, or a `regex_parser`, on the
 * rest, as tail's `tag kube.*` makes it from `/var/log/containers/<pod>_<ns>_<container>-<id>.log`.
 */
import type { Parser } from "../../../src/plugin.ts";

/** What the tag tells about the container whose lines a chunk holds. */
export interface Identity {
  /** The pod's name. */
  podName?: string;
  /** The pod's namespace. */
  namespace?: string;
  /** The container's name. */
  containerName?: string;
  /** The container runtime's 64-hex id. */
  dockerId?: string;
  /** The image hash, when a custom regex captures it. */
  containerHash?: string;
}

/** Fluent Bit's built-in tag regex (`KUBE_TAG_TO_REGEX`), unanchored at the start. */
export const KUBE_TAG_REGEX =
  /(?<pod_name>[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)_(?<namespace_name>[^_]+)_(?<container_name>.+)-(?<docker_id>[a-z0-9]{64})\.log$/;

/** Why a tag gave no identity: too short for the prefix, or not matching the regex. */
export type TagProblem = "short" | "pattern";

/** Reads identities from tags, remembering the last tags seen (chunks of a file repeat it). */
export class TagReader {
  #prefix: string;
  #parser: Parser | undefined;
  #memo = new Map<string, Identity | TagProblem>();

  /** A reader cutting `prefix`; `parser` (a regex parser) replaces the built-in regex. */
  constructor(prefix: string, parser?: Parser) {
    this.#prefix = prefix;
    this.#parser = parser;
  }

  /**
   * The identity in `tag`, or why there is none.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../../../src/testing/assert.ts";
   *
   * const id = "a".repeat(64);
   * const reader = new TagReader("kube.var.log.containers.");
   * const tag = `kube.var.log.containers.web-7d4b9_prod_app-sidecar-${id}.log`;
   * assertEquals(reader.read(tag), {
   *   podName: "web-7d4b9",
   *   namespace: "prod",
   *   containerName: "app-sidecar",
   *   dockerId: id,
   * });
   * assertEquals(reader.read("kube.x"), "short");
   * ```
   */
  read(tag: string): Identity | TagProblem {
    const known = this.#memo.get(tag);
    if (known !== undefined) return known;
    const found = this.#parse(tag);
    if (this.#memo.size >= 1024) this.#memo.clear();
    this.#memo.set(tag, found);
    return found;
  }

  #parse(tag: string): Identity | TagProblem {
    if (this.#prefix.length + 1 >= tag.length) return "short";
    const rest = tag.slice(this.#prefix.length);
    let groups: Record<string, unknown> | undefined;
    if (this.#parser) {
      groups = this.#parser.parse(rest)?.body;
    } else {
      groups = KUBE_TAG_REGEX.exec(rest)?.groups;
    }
    if (!groups) return "pattern";
    const id: Identity = {};
    const take = (name: string): string | undefined => {
      const v = groups[name];
      return typeof v === "string" && v !== "" ? v : undefined;
    };
    const podName = take("pod_name");
    const namespace = take("namespace_name");
    const containerName = take("container_name");
    const dockerId = take("docker_id");
    const containerHash = take("container_hash");
    if (podName !== undefined) id.podName = podName;
    if (namespace !== undefined) id.namespace = namespace;
    if (containerName !== undefined) id.containerName = containerName;
    if (dockerId !== undefined) id.dockerId = dockerId;
    if (containerHash !== undefined) id.containerHash = containerHash;
    return id;
  }
}
