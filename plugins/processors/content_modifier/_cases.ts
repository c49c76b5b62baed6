/**
 * The map actions every map context is tested with: options, the map before, and
 * the map after (with its key order, to check rename keeps positions).
 */
import { sha256Hex } from "./convert.ts";

/** One action case on a map context. */
export interface MapCase {
  name: string;
  options: Record<string, string>;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** A case per action, plus the no-op variants (insert over an existing key, missing keys). */
export const MAP_CASES: readonly MapCase[] = [
  {
    name: "insert adds an absent key",
    options: { action: "insert", key: "k", value: "v" },
    before: { a: 1 },
    after: { a: 1, k: "v" },
  },
  {
    name: "insert leaves a present key",
    options: { action: "insert", key: "k", value: "v" },
    before: { k: "old" },
    after: { k: "old" },
  },
  {
    name: "upsert replaces a present key",
    options: { action: "upsert", key: "k", value: "v" },
    before: { k: "old", a: 1 },
    after: { k: "v", a: 1 },
  },
  {
    name: "delete removes the key",
    options: { action: "delete", key: "k" },
    before: { k: "x", a: 1 },
    after: { a: 1 },
  },
  {
    name: "rename keeps the key's position",
    options: { action: "rename", key: "k", value: "n" },
    before: { a: 1, k: "x", b: 2 },
    after: { a: 1, n: "x", b: 2 },
  },
  {
    name: "hash writes the SHA-256 hex",
    options: { action: "hash", key: "k" },
    before: { k: "value" },
    after: { k: sha256Hex("value") },
  },
  {
    name: "extract turns named groups into keys",
    options: {
      action: "extract",
      key: "k",
      pattern: "/(?<date>\\d{4}\\/\\d{2}\\/\\d{2}) (?<log>.+)/",
    },
    before: { k: "2024/03/15 exception occurred" },
    after: { k: "2024/03/15 exception occurred", date: "2024/03/15", log: "exception occurred" },
  },
  {
    name: "convert changes the type",
    options: { action: "convert", key: "k", converted_type: "int" },
    before: { k: "100" },
    after: { k: 100 },
  },
  {
    name: "convert leaves a value it cannot convert",
    options: { action: "convert", key: "k", converted_type: "int" },
    before: { k: "1.5" },
    after: { k: "1.5" },
  },
  {
    name: "actions on a missing key change nothing",
    options: { action: "hash", key: "missing" },
    before: { k: "x" },
    after: { k: "x" },
  },
];
