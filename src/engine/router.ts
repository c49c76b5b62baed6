/**
 * Tag routing with Fluent Bit's semantics: in `match`, only `*` is special and
 * matches any run of characters (dots and nothing included), case-sensitive;
 * `match_regex`, when set, is used instead and is anchored at the start only.
 */
import { compileOnigmo } from "../parsers/onigmo.ts";

/** A compiled tag matcher. */
export type TagMatcher = (tag: string) => boolean;

/**
 * Compiles `match` / `match_regex` into a matcher; neither set matches nothing,
 * as in Fluent Bit. Results are cached per tag (tags repeat a lot).
 *
 * @example
 * ```ts
 * const m = compileTagMatcher({ match: "app.*" });
 * m("app.web"); // true
 * m("app"); // false
 * ```
 */
export function compileTagMatcher(options: { match?: string; matchRegex?: string }): TagMatcher {
  let test: TagMatcher;
  if (options.matchRegex !== undefined && options.matchRegex !== "") {
    const re = compileOnigmo(options.matchRegex);
    const anchored = new RegExp(`^(?:${re.source})`, re.flags);
    test = (tag) => anchored.test(tag);
  } else if (options.match !== undefined && options.match !== "") {
    test = wildcardMatcher(options.match);
  } else {
    return () => false;
  }
  const cache = new Map<string, boolean>();
  return (tag) => {
    let hit = cache.get(tag);
    if (hit === undefined) {
      hit = test(tag);
      if (cache.size > 10_000) cache.clear();
      cache.set(tag, hit);
    }
    return hit;
  };
}

function wildcardMatcher(pattern: string): TagMatcher {
  if (!pattern.includes("*")) return (tag) => tag === pattern;
  if (/^\*+$/.test(pattern)) return () => true;
  const parts = pattern.split(/\*+/);
  return (tag) => {
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (!tag.startsWith(first) || tag.length < first.length + last.length) return false;
    let at = first.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const found = tag.indexOf(parts[i], at);
      if (found < 0) return false;
      at = found + parts[i].length;
    }
    return tag.length - last.length >= at && tag.endsWith(last);
  };
}
