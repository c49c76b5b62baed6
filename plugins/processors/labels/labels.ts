/**
 * The labels processor's step: every data point of every metric in a metrics chunk gets the
 * configured label changes (see actions.ts), in place. Values with `$TAG` are rendered once
 * per chunk.
 */
import type { Chunk } from "../../../src/event/chunk.ts";
import type { TransformInstance } from "../../../src/plugin.ts";
import { dataPointsOf } from "../../../src/otlp/data_points.ts";
import { applyActions, type LabelActions } from "./actions.ts";
import type { LabelValue } from "./label_value.ts";
import type { LabelsOptions } from "./options.ts";

/** Creates the processor for parsed options; warns once when it has nothing to do. */
export function createLabels(o: LabelsOptions, warn: (msg: string) => void): TransformInstance {
  const count = o.delete.length + o.update.length + o.upsert.length + o.insert.length +
    o.hash.length;
  if (count === 0) warn("no label action is set (update, insert, upsert, delete, hash)");
  const dynamic = [...o.update, ...o.upsert, ...o.insert].some((v) => v.template);
  const pairs = (list: readonly LabelValue[], tag: string) =>
    list.map((v) => [v.name, v.render(tag)] as const);
  const actionsFor = (tag: string): LabelActions => ({
    delete: o.delete,
    update: pairs(o.update, tag),
    upsert: pairs(o.upsert, tag),
    insert: pairs(o.insert, tag),
    hash: o.hash,
  });
  const fixed = dynamic ? undefined : actionsFor("");
  return {
    process(chunk: Chunk): Chunk {
      if (chunk.signal !== "metrics" || count === 0) return chunk;
      const actions = fixed ?? actionsFor(chunk.tag);
      for (const m of chunk.records) {
        for (const p of dataPointsOf(m)) applyActions(p.attributes, actions);
      }
      return chunk;
    },
  };
}
