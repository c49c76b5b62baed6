/**
 * Helpers for the es/opensearch end-to-end tests: a YAML pipeline from dummy or tail to an
 * es-compatible output, and the bulk bodies of a receiver as (action, document) pairs.
 */
import type { EsReceiver } from "../src/testing/es_receiver.ts";

/** A YAML config: `input` lines (a dummy or tail block) into an `output` plugin at `port`. */
export function esPipeline(options: {
  port: number;
  input: readonly string[];
  output?: readonly string[];
  plugin?: string;
  service?: readonly string[];
}): string {
  const ind = (lines: readonly string[] | undefined, pad: string) =>
    (lines ?? []).map((l) => `${pad}${l}\n`).join("");
  return `service:
  flush: 0.2
  grace: 5
  log_level: warn
  scheduler.base: 0.05
  scheduler.cap: 0.2
${ind(options.service, "  ")}pipeline:
  inputs:
    - ${options.input[0]}
${ind(options.input.slice(1), "      ")}  outputs:
    - name: ${options.plugin ?? "es"}
      match: "*"
      host: 127.0.0.1
      port: ${options.port}
${ind(options.output, "      ")}`;
}

/** Every (action line, document line) the receiver was sent, in order. */
export function bulkPairs(rx: EsReceiver): [string, string][] {
  const out: [string, string][] = [];
  for (const r of rx.requests) {
    const lines = r.body.split("\n");
    for (let i = 0; i + 1 < lines.length; i += 2) out.push([lines[i]!, lines[i + 1]!]);
  }
  return out;
}
