/**
 * Fluent Bit writes regular expressions for Onigmo (Ruby syntax). Most of it is
 * JavaScript syntax too; this translates the parts that differ so a user's
 * `parsers.conf` and grep rules work unchanged.
 */
import { errorMessage } from "../error_message.ts";

/**
 * Compiles an Onigmo-style pattern to a JS RegExp. Handles `\A`, `\z`, `\Z`, `\h`, `\H`,
 * leading inline flags `(?i)`, `(?m)` (Ruby's dot-all), `(?x)`, atomic groups `(?>...)`,
 * possessive quantifiers, and `/.../` delimiters. Throws SyntaxError with the pattern quoted.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const re = compileOnigmo("\\A(?<host>[^ ]*) (?<id>\\h+)\\z"); // Ruby's \h: a hex digit
 * assertEquals(re.exec("web1 00ff")?.groups, { host: "web1", id: "00ff" });
 * assertEquals(re.exec("web1 zz"), null);
 * ```
 */
export function compileOnigmo(pattern: string, extraFlags = ""): RegExp {
  let src = pattern;
  let flags = extraFlags;
  const delimited = /^\/(.*)\/([imx]*)$/s.exec(src);
  if (delimited) {
    src = delimited[1]!;
    flags += delimited[2]!.replace("m", "s");
  }
  const inline = /^\(\?([imx]+)\)/.exec(src);
  if (inline) {
    src = src.slice(inline[0].length);
    flags += inline[1]!.replace("m", "s");
  }
  let extended = false;
  if (flags.includes("x")) {
    extended = true;
    flags = flags.replace(/x/g, "");
  }
  const body = translate(src, extended);
  const unique = [...new Set(flags)].join("");
  try {
    return new RegExp(body, unique);
  } catch (e) {
    throw new SyntaxError(
      `Cannot compile regex ${JSON.stringify(pattern)}: ${errorMessage(e)}`,
    );
  }
}

function translate(src: string, extended: boolean): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === "\\") {
      const n = src[i + 1] ?? "";
      i++;
      if (!inClass && n === "A") out += "(?<![\\s\\S])"; // start of input, even with the m flag
      else if (!inClass && n === "z") out += "$(?![\\s\\S])";
      else if (!inClass && n === "Z") out += "(?=\\n?$(?![\\s\\S]))";
      else if (n === "h") out += inClass ? "0-9a-fA-F" : "[0-9a-fA-F]";
      else if (n === "H") out += inClass ? "\\W_g-zG-Z" : "[^0-9a-fA-F]";
      else out += c + n;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      out += c;
      if (src[i + 1] === "^") out += src[++i];
      if (src[i + 1] === "]") out += "\\" + src[++i];
      continue;
    }
    if (c === "(" && src.startsWith("(?>", i)) {
      out += "(?:";
      i += 2;
      continue;
    }
    if ((c === "+") && /[*+?}]/.test(src[i - 1] ?? "") && src[i - 2] !== "\\") {
      continue; // possessive quantifier: JS has none, greedy is the closest
    }
    if (extended && /\s/.test(c)) continue;
    if (extended && c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    out += c;
  }
  return out;
}
