/** The modify filter's stage: its rules applied in order to records meeting its conditions. */
import { sourceOrderOf } from "../../../src/config/options.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import type { TransformInstance } from "../../../src/plugin.ts";
import { type Condition, parseCondition } from "./conditions.ts";
import type { ModifyOptions } from "./options.ts";
import { parseRule, type Rule, RULE_KEYS, type RuleKey } from "./rules.ts";

/**
 * The rules as written: in source order across keys when the resolver recorded it (Fluent
 * Bit applies `Add a`, `Rename b c`, `Add d` in that order), else grouped by key.
 */
function ruleEntries(values: Record<RuleKey, string[]>): [RuleKey, string][] {
  const grouped = RULE_KEYS.flatMap((k) => values[k].map((v): [RuleKey, string] => [k, v]));
  const order = sourceOrderOf(values);
  if (!order) return grouped;
  const ordered = order.filter((e): e is [RuleKey, string] =>
    (RULE_KEYS as readonly string[]).includes(e[0])
  );
  const same = RULE_KEYS.every((k) => {
    const inOrder = ordered.filter((e) => e[0] === k).map((e) => e[1]);
    return inOrder.length === values[k].length && inOrder.every((v, i) => v === values[k][i]);
  });
  return same ? ordered : grouped;
}

function modifyChunk(chunk: Chunk, conditions: Condition[], rules: Rule[]): Chunk {
  if (chunk.signal !== "logs" || rules.length === 0) return chunk;
  const records = chunk.records;
  next: for (const r of records) {
    if (isGroupMarker(r)) continue;
    let body = r.body;
    for (const condition of conditions) if (!condition(body)) continue next;
    for (const rule of rules) body = rule(body);
    r.body = body;
  }
  return chunk;
}

/** The modify step for parsed `values`; throws naming a bad rule's key and value. */
export function createModify(values: ModifyOptions): TransformInstance {
  const conditions = values.condition.map(parseCondition);
  const rules = ruleEntries(values).map(([k, v]) => parseRule(k, v));
  return { process: (chunk) => modifyChunk(chunk, conditions, rules) };
}
