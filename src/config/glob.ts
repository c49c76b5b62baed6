/**
 * Wildcard expansion for `@INCLUDE conf.d/*.conf`: `*`, `?` and `[abc]` within one path
 * segment, as glob(3) does it, with the matches sorted.
 */
import { isAbsolute, join, resolve, sep } from "node:path";

const WILD = /[*?[]/;

/** True when the path has a wildcard in it. */
export function hasWildcard(path: string): boolean {
  return WILD.test(path);
}

/** A regular expression matching one path segment written with wildcards. */
export function segmentRegExp(segment: string): RegExp {
  let re = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = segment.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/**
 * The files matching an absolute path pattern, sorted; hidden files match only when the
 * pattern's segment starts with a dot.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const dir = await Deno.makeTempDir();
 * for (const name of ["b.conf", "a.conf", ".hidden.conf", "notes.txt"]) {
 *   await Deno.writeTextFile(`${dir}/${name}`, "");
 * }
 * assertEquals(await expandGlob(`${dir}/*.conf`), [`${dir}/a.conf`, `${dir}/b.conf`]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const abs = isAbsolute(pattern) ? pattern : resolve(pattern);
  const segments = abs.split(sep).filter((s) => s !== "");
  let paths: string[] = [sep];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    if (!hasWildcard(segment)) {
      paths = paths.map((p) => join(p, segment));
      continue;
    }
    const re = segmentRegExp(segment);
    const next: string[] = [];
    for (const dir of paths) {
      for (const entry of await listDir(dir)) {
        if (entry.name.startsWith(".") && !segment.startsWith(".")) continue;
        if (!re.test(entry.name)) continue;
        if (last ? !entry.isDirectory : entry.isDirectory || entry.isSymlink) {
          next.push(join(dir, entry.name));
        }
      }
    }
    paths = next.sort();
  }
  return paths;
}

async function listDir(dir: string): Promise<Deno.DirEntry[]> {
  const out: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) out.push(entry);
  } catch {
    // A missing or unreadable directory matches nothing.
  }
  return out;
}
