/**
 * Finding the files to read: `path` globs (comma-separated), minus `exclude_path` shell
 * patterns, and the directories to watch for new and rotated files.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { expandGlob, hasWildcard } from "../../../src/config/glob.ts";

/** A compiled `exclude_path` pattern list. */
export type Excluder = (path: string) => boolean;

/**
 * fnmatch-style patterns (`*` and `?` also match `/`, `[...]` classes) matched on the
 * whole path, and on the file name alone when the pattern has no `/`.
 */
export function excluder(patterns: readonly string[]): Excluder {
  const compiled = patterns.map((p) => ({ re: shellRegExp(p), base: !p.includes("/") }));
  if (compiled.length === 0) return () => false;
  return (path) => {
    const name = path.slice(path.lastIndexOf("/") + 1);
    return compiled.some((c) => c.re.test(path) || (c.base && c.re.test(name)));
  };
}

function shellRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The absolute paths matching any of `patterns`, excluded ones left out, without repeats. */
export async function scanPaths(patterns: readonly string[], exclude: Excluder): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const pattern of patterns) {
    const abs = isAbsolute(pattern) ? pattern : resolve(pattern);
    const matches = hasWildcard(abs) ? await expandGlob(abs) : [abs];
    for (const path of matches) {
      if (seen.has(path) || exclude(path)) continue;
      seen.add(path);
      out.push(path);
    }
  }
  return out;
}

/** The deepest directory of each pattern that holds no wildcard: where new files appear. */
export function patternDirs(patterns: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const pattern of patterns) {
    let dir = dirname(isAbsolute(pattern) ? pattern : resolve(pattern));
    while (hasWildcard(dir)) dir = dirname(dir);
    dirs.add(dir);
  }
  return [...dirs];
}
