/**
 * The labels processor's actions on one data point's attributes. Label names match
 * case-insensitively, as in Fluent Bit. A VALUE holding `$` is a template expanded with the
 * chunk's tag (`$TAG`, `$TAG[n]`; record keys expand to nothing, there being no record).
 */
import { createHash } from "node:crypto";
import type { Attributes } from "../../../src/event/span.ts";
import { attributeText } from "../../../src/otlp/data_points.ts";

/** The compiled actions of one processor, values rendered for one chunk's tag. */
export interface LabelActions {
  delete: readonly string[];
  update: readonly (readonly [string, string])[];
  upsert: readonly (readonly [string, string])[];
  insert: readonly (readonly [string, string])[];
  hash: readonly string[];
}

/** The key of `attrs` that is `name` ignoring case, or undefined. */
export function findLabel(attrs: Attributes, name: string): string | undefined {
  if (Object.hasOwn(attrs, name)) return name;
  const lower = name.toLowerCase();
  for (const k in attrs) if (k.toLowerCase() === lower) return k;
  return undefined;
}

/** The SHA-256 hex digest of `text`. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Applies the actions to one point's attributes, in Fluent Bit's fixed order: delete,
 * update, upsert, insert, hash. Returns the number of labels changed.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../../src/testing/assert.ts";
 *
 * const attrs: Record<string, string> = { user: "bob", tmp: "x" };
 * applyActions(attrs, {
 *   delete: ["TMP"],
 *   update: [["missing", "1"]],
 *   upsert: [["env", "prod"]],
 *   insert: [["user", "alice"]],
 *   hash: ["user"],
 * });
 * assertEquals(attrs, {
 *   user: "81b637d8fcd2c6da6359e6963113a1170de795e4b725b84d1e0b4cfd9ec58ce9",
 *   env: "prod",
 * });
 * ```
 */
export function applyActions(attrs: Attributes, a: LabelActions): number {
  let changed = 0;
  for (const name of a.delete) {
    const k = findLabel(attrs, name);
    if (k !== undefined) {
      delete attrs[k];
      changed++;
    }
  }
  for (const [name, value] of a.update) {
    const k = findLabel(attrs, name);
    if (k !== undefined) {
      attrs[k] = value;
      changed++;
    }
  }
  for (const [name, value] of a.upsert) {
    attrs[findLabel(attrs, name) ?? name] = value;
    changed++;
  }
  for (const [name, value] of a.insert) {
    if (findLabel(attrs, name) === undefined) {
      attrs[name] = value;
      changed++;
    }
  }
  for (const name of a.hash) {
    const k = findLabel(attrs, name);
    if (k === undefined) continue;
    const text = attributeText(attrs[k]);
    if (text === "") continue;
    attrs[k] = sha256Hex(text);
    changed++;
  }
  return changed;
}
