/**
 * Which log group and stream a record goes to: `log_group_template` / `log_stream_template`
 * when every key they name is in the record, else `log_group_name` and `log_stream_name`
 * (or `log_stream_prefix` + tag), as Fluent Bit's get_log_stream decides.
 */
import type { RecordMap } from "../../../src/event/log_record.ts";
import type { RecordTemplate } from "../../../src/event/record_template.ts";

/** The naming rules of one output. */
export interface StreamNaming {
  /** `log_group_name`. */
  group: string;
  /** `log_stream_name`. */
  stream?: string;
  /** `log_stream_prefix`. */
  prefix?: string;
  /** `log_group_template`, compiled. */
  groupTemplate?: RecordTemplate;
  /** `log_stream_template`, compiled. */
  streamTemplate?: RecordTemplate;
}

/**
 * The group and stream of a record of `tag`: a template whose keys are all in the record
 * names it (a `$TAG[n]` past the tag's parts gives nothing, as in Fluent Bit), else the
 * fixed names.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { compileRecordTemplate } from "../../../src/event/record_template.ts";
 *
 * const naming = {
 *   group: "app",
 *   prefix: "from-",
 *   streamTemplate: compileRecordTemplate("$kubernetes['ns']-$TAG[1]"),
 * };
 * const k8s = { kubernetes: { ns: "prod" } };
 * assertEquals(streamOf(naming, "kube.web", k8s), { group: "app", stream: "prod-web" });
 * assertEquals(streamOf(naming, "kube", k8s), { group: "app", stream: "prod-" });
 * assertEquals(streamOf(naming, "kube.web", {}), { group: "app", stream: "from-kube.web" });
 * ```
 */
export function streamOf(
  naming: StreamNaming,
  tag: string,
  body: RecordMap,
): { group: string; stream: string } {
  const group = naming.groupTemplate?.renderChecked(tag, body) || naming.group;
  const stream = naming.streamTemplate?.renderChecked(tag, body) || naming.stream ||
    `${naming.prefix ?? ""}${tag}`;
  return { group, stream };
}
