/**
 * What a `PartialWriteError` means for a batch of `n` records: which were delivered, which are
 * dead-lettered (grouped by reason, one dead letter per group), and which are written again —
 * as a retry when some of them failed, or at once when the peer only never got to them.
 * Indexes out of range are ignored; a record both refused and retried counts as refused.
 */
import type { PartialWriteError } from "./errors.ts";

/** One dead letter of a partial write: the refused records sharing a reason. */
export interface RefusedGroup {
  reason: string;
  status?: number;
  indexes: number[];
}

/** The outcome of a partial write, record by record. */
export interface PartialPlan {
  delivered: number;
  refused: RefusedGroup[];
  /** Records to write again, in order. */
  again: number[];
  /** True when some of `again` failed (a retry); false when the peer only never got to them. */
  failed: boolean;
}

/**
 * Sorts the records of a batch of `n` by what the peer said of them.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 * import { PartialWriteError } from "./errors.ts";
 *
 * const plan = planPartial(5, new PartialWriteError("", {
 *   retry: [1, 9],
 *   unsent: [4],
 *   rejected: [{ index: 2, reason: "mapping" }, { index: 1, reason: "mapping" }],
 * }));
 * assertEquals(plan, {
 *   delivered: 2,
 *   refused: [{ reason: "mapping", status: undefined, indexes: [2, 1] }],
 *   again: [4],
 *   failed: false,
 * });
 * ```
 */
export function planPartial(n: number, e: PartialWriteError): PartialPlan {
  const groups = new Map<string, RefusedGroup>();
  const refused = new Set<number>();
  for (const r of e.rejected) {
    if (r.index < 0 || r.index >= n || refused.has(r.index)) continue;
    refused.add(r.index);
    const key = `${r.status ?? ""} ${r.reason}`;
    const group = groups.get(key) ?? { reason: r.reason, status: r.status, indexes: [] };
    group.indexes.push(r.index);
    groups.set(key, group);
  }
  const valid = (i: number) => i >= 0 && i < n && !refused.has(i);
  const failed = e.retry.some(valid);
  const again = [...new Set([...e.retry, ...e.unsent])].filter(valid).sort((a, b) => a - b);
  return {
    delivered: n - refused.size - again.length,
    refused: [...groups.values()],
    again,
    failed,
  };
}
