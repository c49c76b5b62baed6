/**
 * Fluent Bit's quick-mode flags depend on their order (`-p` applies to the last
 * `-i`/`-F`/`-o`), which an option parser loses; this reads them from argv in order.
 */
import type { QuickArg } from "../config/quick_mode.ts";

const FLAGS: Record<string, QuickArg["flag"]> = {
  "-i": "i",
  "--input": "i",
  "-F": "F",
  "--filter": "F",
  "-o": "o",
  "--output": "o",
  "-p": "p",
  "--prop": "p",
  "-t": "t",
  "--tag": "t",
  "-m": "m",
  "--match": "m",
  "-f": "f",
  "--flush": "f",
};

/**
 * The quick-mode flags of `argv` in order, with their 1-based argument index.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const args = quickArgs(["-i", "dummy", "-p", "samples=3", "-o", "stdout"]);
 * assertEquals(args.map((a) => [a.flag, a.value]), [
 *   ["i", "dummy"],
 *   ["p", "samples=3"],
 *   ["o", "stdout"],
 * ]);
 * ```
 */
export function quickArgs(argv: readonly string[]): QuickArg[] {
  const out: QuickArg[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    const eq = a.startsWith("--") ? a.indexOf("=") : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const flag = Object.hasOwn(FLAGS, name) ? FLAGS[name] : undefined;
    if (flag) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value !== undefined) out.push({ flag, value, index: i + 1 });
      continue;
    }
    // Glued short form: -idummy, -psamples=3
    if (/^-[iFopmtf]./.test(a) && !a.startsWith("--")) {
      out.push({ flag: FLAGS[a.slice(0, 2)]!, value: a.slice(2), index: i + 1 });
    }
  }
  return out;
}
