/**
 * The kubernetes filter's stage: for each chunk, the container identity from its tag, the
 * pod (and namespace) metadata from the cache or the API, then every record rebuilt with
 * `log` merged and the `kubernetes` map added. Chunks whose tag gives no identity pass
 * untouched; when metadata cannot be had within the wait, records pass without it,
 * counted. Excluded records (`fluentbit.io/exclude`) are dropped on purpose.
 */
import { type Chunk, withRecords } from "../../../src/event/chunk.ts";
import { isGroupMarker, type LogRecord } from "../../../src/event/log_record.ts";
import {
  OptionError,
  type Parser,
  type PluginContext,
  type TransformInstance,
} from "../../../src/plugin.ts";
import { enrich, type Enrichment, type MergeOptions } from "./merge.ts";
import type { AnnotationProps } from "./annotations.ts";
import { TagReader } from "./identity.ts";
import { type KubeMetrics, kubeMetrics } from "./metrics.ts";
import { type ChunkMeta, MetaSource } from "./meta_source.ts";
import type { KubernetesOptions } from "./options.ts";

/** How long a chunk waits for metadata before it passes without (ms). */
export const META_WAIT_MS = 3000;

function lookupParser(
  ctx: PluginContext,
  key: string,
  name: string | undefined,
): Parser | undefined {
  if (name === undefined) return undefined;
  const p = ctx.parsers.get(name);
  if (!p) {
    const known = ctx.parsers.names();
    throw new OptionError(
      key,
      `Unknown parser "${name}": known parsers are ${known.length ? known.join(", ") : "none"}`,
    );
  }
  return p;
}

function warnUnsupported(v: KubernetesOptions, ctx: PluginContext): void {
  const unsupported: [boolean, string][] = [
    [
      v.kube_token_command !== undefined,
      "kube_token_command is not supported; kube_token_file is read instead",
    ],
    [v.use_journal, "use_journal is not supported; tags are read as tail tags"],
    [v.dummy_meta, "dummy_meta is not supported; metadata comes from the API"],
    [v.aws_use_pod_association || v.use_pod_association, "AWS pod association is not supported"],
    [v.set_platform !== undefined, "set_platform is not supported"],
  ];
  for (const [on, msg] of unsupported) if (on) ctx.log.once("warn", msg, msg);
}

/** The parser and exclusion that apply to records of one stream. */
interface StreamChoice {
  exclude: boolean;
  parser: Parser | undefined;
}

/** The choices of `props` for `stdout`, `stderr` and any other stream, made once per chunk. */
function streamChoices(
  props: AnnotationProps,
): Record<"stdout" | "stderr" | "other", StreamChoice> {
  return {
    stdout: { exclude: props.stdoutExclude === true, parser: props.stdoutParser },
    stderr: { exclude: props.stderrExclude === true, parser: props.stderrParser },
    other: {
      exclude: props.stdoutExclude === true && props.stderrExclude === true,
      parser: props.stdoutParser === props.stderrParser ? props.stdoutParser : undefined,
    },
  };
}

/** The filter's work, once its options are parsed. */
export class KubernetesFilter {
  #tags: TagReader;
  #source: MetaSource;
  #merge: MergeOptions;
  #metrics: KubeMetrics;
  #ctx: PluginContext;

  /** The filter for parsed `values`; throws OptionError for a bad kube_url or parser. */
  constructor(values: KubernetesOptions, ctx: PluginContext, options: { waitMs?: number } = {}) {
    this.#ctx = ctx;
    warnUnsupported(values, ctx);
    const regex = lookupParser(ctx, "regex_parser", values.regex_parser);
    if (regex && regex.format !== "regex") {
      throw new OptionError("regex_parser", `Parser "${regex.name}" is ${regex.format}, not regex`);
    }
    this.#tags = new TagReader(values.kube_tag_prefix, regex);
    this.#merge = {
      mergeLog: values.merge_log,
      trim: values.merge_log_trim,
      keepLog: values.keep_log,
      ...(values.merge_parser !== undefined
        ? { mergeParser: lookupParser(ctx, "merge_parser", values.merge_parser) }
        : {}),
      ...(values.merge_log_key !== undefined ? { mergeLogKey: values.merge_log_key } : {}),
    };
    this.#metrics = kubeMetrics(ctx.metrics, ctx.name);
    this.#source = new MetaSource(values, ctx, this.#metrics, options.waitMs ?? META_WAIT_MS);
  }

  /** The chunk enriched, or null when every record was excluded. */
  async process(chunk: Chunk): Promise<Chunk | null> {
    if (chunk.signal !== "logs") return chunk;
    const id = this.#tags.read(chunk.tag);
    if (typeof id === "string") {
      this.#metrics.untouched.inc(this.#labels, chunk.records.length);
      if (id === "short") {
        this.#ctx.log.once(
          "error",
          "short",
          `incoming record tag (${chunk.tag}) is shorter than kube_tag_prefix value, skip filter`,
        );
      } else {
        this.#ctx.log.once("warn", "pattern", `invalid pattern for given tag ${chunk.tag}`);
      }
      return chunk;
    }
    const meta = await this.#source.lookup(id);
    if (meta.miss) {
      this.#metrics.withoutMeta.inc(
        { name: this.#ctx.name, reason: meta.miss },
        chunk.records.length,
      );
    }
    return this.#apply(chunk, meta);
  }

  get #labels(): Record<string, string> {
    return { name: this.#ctx.name };
  }

  #apply(
    chunk: Chunk & { signal: "logs" },
    meta: ChunkMeta,
  ): Chunk | null {
    const add: Enrichment = {};
    if (meta.kube) add.kube = meta.kube;
    if (meta.namespace) add.namespace = meta.namespace;
    const choices = streamChoices(meta.props);
    const out: LogRecord[] = [];
    let excluded = 0;
    for (const r of chunk.records) {
      if (isGroupMarker(r)) {
        out.push(r);
        continue;
      }
      const stream = r.body.stream;
      const choice = stream === "stdout"
        ? choices.stdout
        : stream === "stderr"
        ? choices.stderr
        : choices.other;
      if (choice.exclude) {
        excluded++;
        continue;
      }
      out.push(enrich(r, add, choice.parser, this.#merge));
    }
    if (excluded > 0) this.#metrics.excluded.inc(this.#labels, excluded);
    if (out.length === 0) return null;
    return withRecords(chunk, out);
  }

  /** Closes the API connections. */
  close(): void {
    this.#source.close();
  }
}

/** The filter as a transform stage: one await per chunk, chunks kept in order. */
export function createKubernetes(values: KubernetesOptions, ctx: PluginContext): TransformInstance {
  const filter = new KubernetesFilter(values, ctx);
  return {
    stage: async function* kubernetesStage(chunks) {
      for await (const chunk of chunks) {
        const out = await filter.process(chunk);
        if (out === null) {
          chunk.ack.release();
          continue;
        }
        yield out;
      }
    },
    close() {
      filter.close();
      return Promise.resolve();
    },
  };
}
