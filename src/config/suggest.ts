/**
 * "Did you mean" suggestions for misspelt keys, plugin and section names, by edit distance.
 */

/**
 * The edit distance between two strings (insertions, deletions, substitutions and swaps of
 * adjacent characters each count one), compared case-insensitively.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(editDistance("rtae", "rate"), 1); // one transposition
 * ```
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) {
    const row = new Array<number>(t.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  const first = rows[0]!;
  for (let j = 0; j <= t.length; j++) first[j] = j;
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i]!;
    const up = rows[i - 1]!;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      row[j] = d;
    }
  }
  return rows[s.length]![t.length]!;
}

/**
 * The candidate closest to `word`, when it is close enough to be a likely misspelling:
 * at most one edit for short words, up to three for long ones.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(closest("ratee", ["rate", "tag"]), "rate");
 * ```
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** The hint shown after a problem, `did you mean "rate"?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean "${c}"?`;
}

/**
 * Keys other tools (and Fluent Bit's own example configs) use for a listening address,
 * answered with the key sluice and Fluent Bit declare for it.
 */
const ADDRESS_KEYS = new Set(["listen", "bind", "address", "listen_address"]);

/**
 * The hint for an unknown key: a declared key spelt closely, or `host` for a listening
 * address under another name (Fluent Bit's conf/fluent-bit-metrics.conf says `listen`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(unknownKeyHint("listen", ["host", "port"]), 'did you mean "host"?');
 * assertEquals(unknownKeyHint("prot", ["host", "port"]), 'did you mean "port"?');
 * ```
 */
export function unknownKeyHint(word: string, candidates: Iterable<string>): string | undefined {
  const keys = [...candidates];
  const close = didYouMean(word, keys);
  if (close !== undefined) return close;
  if (ADDRESS_KEYS.has(word.toLowerCase()) && keys.includes("host")) return 'did you mean "host"?';
  return undefined;
}
