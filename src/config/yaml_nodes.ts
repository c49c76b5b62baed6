/**
 * Helpers turning `yaml` AST nodes into plain values for the YAML config loader.
 */
import { type Document, isAlias, isMap, isScalar, isSeq } from "yaml";

/** A parsed YAML document, as the loader holds it. */
export type YamlDoc = Document.Parsed;

/** True for an absent value: no node, or a null scalar (`key:` with nothing after it). */
export function isEmptyNode(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** The node an alias points to, or the node itself. */
export function derefNode(node: unknown, doc: YamlDoc): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** A map key as a string, or undefined when the key is not a plain scalar. */
export function scalarKey(node: unknown, doc: YamlDoc): string | undefined {
  const key = derefNode(node, doc);
  if (isScalar(key) && key.value !== null && typeof key.value !== "object") {
    return String(key.value);
  }
  return undefined;
}

/**
 * A node as a plain JS value. With `lossless`, a plain number whose text would change when
 * printed back (`1.10`, `08`) stays the string as written, since option parsers read text;
 * maps keep YAML's types for the plugins that read nested settings directly. Keys that are
 * not plain scalars are skipped.
 */
export function plainNode(raw: unknown, doc: YamlDoc, lossless: boolean): unknown {
  const node = derefNode(raw, doc);
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    const v = node.value;
    if (lossless && typeof v === "number" && node.source !== undefined) {
      return String(v) === node.source ? v : node.source;
    }
    return v;
  }
  if (isSeq(node)) return node.items.map((i) => plainNode(i, doc, lossless));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = scalarKey(pair.key, doc);
      if (key !== undefined) out[key] = plainNode(pair.value, doc, false);
    }
    return out;
  }
  return null;
}
