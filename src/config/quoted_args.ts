/**
 * Splitting a rule value such as `KEY VALUE` into its arguments, as Fluent Bit's
 * `flb_utils_split_quoted` does: whitespace separates, `"..."` or `'...'` quote an
 * argument (with `\"`, `\'` and `\\` escapes inside), and the last argument takes the
 * rest of the line, so `Set msg hello world` sets "hello world".
 */

const QUOTES = new Set(['"', "'"]);

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text[i])) i++;
  return i;
}

/** Reads the quoted argument starting at `start`; returns it and the offset after its end quote. */
function readQuoted(text: string, start: number): [string, number] {
  const q = text[start];
  let out = "";
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && (text[i + 1] === q || text[i + 1] === "\\")) {
      out += text[++i];
    } else if (c === q) {
      return [out, i + 1];
    } else {
      out += c;
    }
  }
  throw new SyntaxError(`unterminated quote at offset ${start}`);
}

/**
 * Splits `text` into at most `max` arguments, the last one taking the rest of the text.
 * Throws SyntaxError (detail only; callers add the key and value) on an unterminated quote
 * or text glued to a closing quote.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(splitArgs(`Key_value_equals "my key" some value`, 3), [
 *   "Key_value_equals",
 *   "my key",
 *   "some value",
 * ]);
 * ```
 */
export function splitArgs(text: string, max: number): string[] {
  const args: string[] = [];
  let i = skipSpaces(text, 0);
  while (i < text.length) {
    const last = args.length === max - 1;
    if (QUOTES.has(text[i])) {
      const [arg, end] = readQuoted(text, i);
      const next = skipSpaces(text, end);
      if (end < text.length && (!isSpace(text[end]) || (last && next < text.length))) {
        throw new SyntaxError(`unexpected text after the quoted argument at offset ${end}`);
      }
      args.push(arg);
      i = next;
      continue;
    }
    if (last) {
      args.push(text.slice(i).trimEnd());
      break;
    }
    let j = i;
    while (j < text.length && !isSpace(text[j])) j++;
    args.push(text.slice(i, j));
    i = skipSpaces(text, j);
  }
  return args;
}

/**
 * Splits a rule value into exactly `names.length` arguments, or throws SyntaxError naming
 * the option key, the value and the expected form (`names` joined, e.g. `KEY VALUE`).
 */
export function ruleArgs(key: string, value: string, names: readonly string[]): string[] {
  let args: string[];
  try {
    // One more than a lone argument, so `remove a b` shows up as two arguments.
    args = splitArgs(value, names.length === 1 ? 2 : names.length);
  } catch (e) {
    throw new SyntaxError(`Cannot parse "${key}" value ${JSON.stringify(value)}: ${message(e)}`);
  }
  if (args.length !== names.length || args.some((a, n) => a === "" && n < names.length - 1)) {
    throw new SyntaxError(
      `Cannot parse "${key}" value ${JSON.stringify(value)}: expected ${names.join(" ")}`,
    );
  }
  return args;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
