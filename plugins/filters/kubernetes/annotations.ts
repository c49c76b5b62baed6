/**
 * The `fluentbit.io/*` pod annotations (Fluent Bit's kube_property.c): `parser` and
 * `exclude`, each optionally for one stream (`_stdout`, `_stderr`) and one container
 * (`-<container>`). A container-specific annotation wins over a general one.
 */
import type { RecordMap } from "../../../src/event/log_record.ts";
import type { Parser, ParserLookup } from "../../../src/plugin.ts";
import type { Identity } from "./identity.ts";

/** The choices a pod's annotations make for its records. */
export interface AnnotationProps {
  stdoutParser?: Parser;
  stderrParser?: Parser;
  stdoutExclude?: boolean;
  stderrExclude?: boolean;
}

/** What reading annotations needs: the permissions, the parsers, a place to warn. */
export interface PropsContext {
  /** `k8s-logging.parser`. */
  allowParser: boolean;
  /** `k8s-logging.exclude`. */
  allowExclude: boolean;
  /** The config's parsers. */
  parsers: ParserLookup;
  /** Warns (once per distinct message). */
  warn(message: string): void;
}

const PREFIX = "fluentbit.io/";

function truthy(v: string): boolean {
  return /^(true|on|yes)$/i.test(v.trim());
}

/**
 * The properties set by `annotations`; unknown or malformed `fluentbit.io/` keys and
 * disallowed ones are warned about and ignored.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { noParsers } from "../../../src/parsers/types.ts";
 *
 * const warnings: string[] = [];
 * const ctx = { allowParser: true, allowExclude: true, parsers: noParsers, warn: (m: string) => warnings.push(m) };
 * const props = annotationProps(
 *   { "fluentbit.io/exclude_stderr": "true", "fluentbit.io/exclude-app": "false" },
 *   { containerName: "app" },
 *   ctx,
 * );
 * assertEquals(props, { stdoutExclude: false, stderrExclude: false });
 * ```
 */
export function annotationProps(
  annotations: RecordMap | undefined,
  id: Identity,
  ctx: PropsContext | undefined,
): AnnotationProps {
  const props: AnnotationProps = {};
  if (!annotations || !ctx) return props;
  const where = `(ns='${id.namespace}' pod_name='${id.podName}')`;
  for (const [key, raw] of Object.entries(annotations)) {
    if (!key.startsWith(PREFIX) || key.length <= PREFIX.length) continue;
    const prop = key.slice(PREFIX.length);
    const value = typeof raw === "string" ? raw : String(raw);
    const m = /^(parser|exclude)(.*)$/.exec(prop);
    if (!m) {
      ctx.warn(`unknown annotation '${key}' ${where}`);
      continue;
    }
    const kind = m[1] as "parser" | "exclude";
    let rest = m[2] ?? "";
    let stream: "stdout" | "stderr" | undefined;
    if (rest.startsWith("_")) {
      if (rest.startsWith("_stdout")) stream = "stdout";
      else if (rest.startsWith("_stderr")) stream = "stderr";
      else {
        ctx.warn(`invalid stream in annotation '${key}' ${where}`);
        continue;
      }
      rest = rest.slice(7);
    }
    let container: string | undefined;
    if (rest.startsWith("-")) {
      container = rest.slice(1);
      if (container === "") {
        ctx.warn(`invalid container in annotation '${key}' ${where}`);
        continue;
      }
      rest = "";
    }
    if (rest !== "") {
      ctx.warn(`invalid annotation '${key}' ${where}`);
      continue;
    }
    if (container !== undefined && container !== id.containerName) continue;
    const specific = container !== undefined;
    if (kind === "parser") {
      if (!ctx.allowParser) {
        ctx.warn(`annotation 'fluentbit.io/parser' not allowed ${where}`);
        continue;
      }
      const parser = ctx.parsers.get(value);
      if (!parser) {
        ctx.warn(
          `annotation parser '${value}' not found ${
            where.slice(0, -1)
          } container_name='${id.containerName}')`,
        );
        continue;
      }
      if (stream !== "stderr" && (specific || props.stdoutParser === undefined)) {
        props.stdoutParser = parser;
      }
      if (stream !== "stdout" && (specific || props.stderrParser === undefined)) {
        props.stderrParser = parser;
      }
    } else {
      if (!ctx.allowExclude) {
        ctx.warn(`annotation 'fluentbit.io/exclude' not allowed ${where}`);
        continue;
      }
      const exclude = truthy(value);
      if (stream !== "stderr" && (specific || props.stdoutExclude === undefined)) {
        props.stdoutExclude = exclude;
      }
      if (stream !== "stdout" && (specific || props.stderrExclude === undefined)) {
        props.stderrExclude = exclude;
      }
    }
  }
  return props;
}
