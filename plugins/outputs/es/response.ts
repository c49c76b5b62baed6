/**
 * What a `_bulk` answer means, item by item. Fluent Bit counts a reply in which any item
 * succeeded as full success and loses the rest; here every item is judged: 2xx delivered,
 * 409 on `create` delivered (the document is already there: a retry of a delivered item),
 * 408, 429, 5xx and 409 on index/update retried, any other status refused with Elasticsearch's reason.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const answer = JSON.stringify({
 *   errors: true,
 *   items: [
 *     { create: { status: 201 } },
 *     { create: { status: 429, error: { type: "es_rejected_execution_exception", reason: "busy" } } },
 *     { create: { status: 400, error: { type: "mapper_parsing_exception", reason: "bad n" } } },
 *   ],
 * });
 * const v = judgeBulkAnswer(answer, 3, "create");
 * assertEquals(v.kind, "items");
 * if (v.kind === "items") {
 *   assertEquals(v.retry, [1]);
 *   assertEquals(v.refused, [{ item: 2, status: 400, reason: "mapper_parsing_exception: bad n" }]);
 * }
 * ```
 */

/** A refused item: its position in the request, status, and Elasticsearch's reason. */
export interface RefusedItem {
  item: number;
  status: number;
  reason: string;
}

/** The verdict on a 200 answer's body. */
export type BulkVerdict =
  /** Every item delivered. */
  | { kind: "delivered" }
  /** The body cannot be judged (empty, truncated, not the bulk shape): retry it all. */
  | { kind: "unreadable"; detail: string }
  /** Per item: positions to retry, items refused, and how many were conflicts on create. */
  | { kind: "items"; retry: number[]; refused: RefusedItem[]; conflicts: number };

interface ItemError {
  type?: unknown;
  reason?: unknown;
  caused_by?: { type?: unknown; reason?: unknown };
}

/** `type: reason (caused by: type: reason)`, from an Elasticsearch error object. */
export function errorReason(error: unknown): string {
  if (typeof error === "string") return error;
  if (error === null || typeof error !== "object") return "no reason given";
  const e = error as ItemError;
  let text = [e.type, e.reason].filter((x) => typeof x === "string").join(": ") ||
    JSON.stringify(error);
  const c = e.caused_by;
  if (c && typeof c === "object" && (typeof c.reason === "string" || typeof c.type === "string")) {
    text += ` (caused by ${[c.type, c.reason].filter((x) => typeof x === "string").join(": ")})`;
  }
  return text;
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Judges the body of a 200/201 answer to a bulk request of `sent` items. */
export function judgeBulkAnswer(text: string, sent: number, action: string): BulkVerdict {
  if (text.trim() === "") return { kind: "unreadable", detail: "the answer was empty" };
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    // Cut short by buffer_size: a clean answer still says so near its start.
    if (text.includes('"errors":false')) return { kind: "delivered" };
    return {
      kind: "unreadable",
      detail: "the answer is not complete JSON (raise buffer_size to read it all)",
    };
  }
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    return { kind: "unreadable", detail: "the answer is not a JSON object" };
  }
  const { errors, items } = root as { errors?: unknown; items?: unknown };
  if (errors === false) return { kind: "delivered" };
  if (errors !== true || !Array.isArray(items)) {
    return { kind: "unreadable", detail: 'the answer has no "errors" flag and "items" list' };
  }
  const retry: number[] = [];
  const refused: RefusedItem[] = [];
  let conflicts = 0;
  for (let i = 0; i < sent; i++) {
    const wrapper = items[i] as Record<string, unknown> | undefined;
    const op = wrapper && typeof wrapper === "object" ? Object.keys(wrapper)[0] : undefined;
    const item = op === undefined ? undefined : wrapper![op] as Record<string, unknown>;
    const status = typeof item?.status === "number" ? item.status : undefined;
    if (status === undefined) {
      retry.push(i); // no answer for this item
    } else if (status >= 200 && status < 300) {
      // delivered
    } else if (status === 409 && (op ?? action) === "create") {
      conflicts++; // already indexed: an earlier try got through
    } else if (retryable(status) || status === 409) {
      // 409 on index or update: a concurrent change of the same document, worth another try.
      retry.push(i);
    } else {
      refused.push({ item: i, status, reason: errorReason(item?.error) });
    }
  }
  if (retry.length === 0 && refused.length === 0) return { kind: "delivered" };
  return { kind: "items", retry, refused, conflicts };
}
