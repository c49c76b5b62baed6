/**
 * Per-file tags, as Fluent Bit composes them: a `*` in the tag becomes the file's path
 * with `/` turned into `.` (a leading separator dropped, repeated dots collapsed, a
 * trailing dot dropped); with `tag_regex`, each `<name>` in the tag takes that named
 * group of the regex matched on the path (`_` when the group did not match).
 */
import { compileOnigmo } from "../../../src/parsers/onigmo.ts";

/** How a tag is made for each file. */
export type TagMaker = (path: string) => string;

/** Fluent Bit's `*` expansion of `tag` with `path`. */
export function expandStar(tag: string, path: string): string {
  const star = tag.indexOf("*");
  if (star < 0) return tag;
  const raw = tag.slice(0, star) + path + tag.slice(star + 1);
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    let c = raw[i];
    if (c === "/" || c === "\\" || c === ":") {
      if (out.length === 0) continue;
      c = ".";
    }
    if (c === "*") continue;
    if (c === "." && out.endsWith(".")) continue;
    out += c;
  }
  return out.endsWith(".") ? out.slice(0, -1) : out;
}

/** Fills `<name>` placeholders of `tag` from the named groups `regex` finds in `path`. */
export function expandGroups(tag: string, regex: RegExp, path: string): string {
  const m = regex.exec(path);
  if (!m) {
    throw new RangeError(`Cannot compose a tag for "${path}": tag_regex does not match it`);
  }
  const groups = m.groups ?? {};
  return tag.replace(/<([^<>]*)>/g, (_all, name: string) => groups[name] ?? "_");
}

/**
 * The tag maker of an input: fixed unless the tag holds `*` or `tag_regex` is set.
 * Throws SyntaxError for a `tag_regex` that does not compile.
 */
export function tagMaker(tag: string, tagRegex: string | undefined): TagMaker {
  if (tagRegex !== undefined && tagRegex !== "") {
    const regex = compileOnigmo(tagRegex);
    return (path) => expandGroups(tag, regex, path);
  }
  if (tag.includes("*")) return (path) => expandStar(tag, path);
  return () => tag;
}
