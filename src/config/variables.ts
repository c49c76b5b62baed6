/**
 * `${VAR}` and `${VAR:-default}` expansion in config values, as Fluent Bit does it:
 * variables from the `env` section (or `@SET`) first, then the process environment,
 * with `${HOSTNAME}` predefined.
 */
import type { ConfigProblem, RawSection } from "./model.ts";

/** Looks a variable up by name; undefined when it is not set. */
export type VarLookup = (name: string) => string | undefined;

const VAR_RE = /\$\{([^}:]+)(?::-([^}]*))?\}/g;

/** Options for {@link makeLookup}. */
export interface LookupOptions {
  /** Replaces the process environment (tests); defaults to `Deno.env`. */
  env?: Record<string, string>;
  /** The value of `${HOSTNAME}` when neither the config nor the environment sets it. */
  hostname?: string;
}

/**
 * A lookup that tries the config's own variables, then the environment, then `HOSTNAME`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * const lookup = makeLookup(new Map([["PORT", "2020"]]), { env: {} });
 * assertEquals(lookup("PORT"), "2020");
 * ```
 */
export function makeLookup(
  vars: ReadonlyMap<string, string>,
  options: LookupOptions = {},
): VarLookup {
  return function lookup(name: string): string | undefined {
    const own = vars.get(name);
    if (own !== undefined) return own;
    const fromEnv = options.env ? options.env[name] : processEnv(name);
    if (fromEnv !== undefined) return fromEnv;
    if (name === "HOSTNAME") return options.hostname ?? systemHostname();
    return undefined;
  };
}

function processEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

function systemHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}

/** A string with its variables expanded, and the names that were neither set nor defaulted. */
export interface Expanded<T> {
  value: T;
  missing: string[];
}

/**
 * Expands `${VAR}` and `${VAR:-default}` in a string; the default applies when VAR is unset
 * or empty. An unset variable without a default expands to "" and is listed in `missing`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(expandString("${PORT:-2020}", () => undefined).value, "2020");
 * ```
 */
export function expandString(text: string, lookup: VarLookup): Expanded<string> {
  const missing: string[] = [];
  if (!text.includes("${")) return { value: text, missing };
  const value = text.replace(VAR_RE, (_m, rawName: string, def: string | undefined) => {
    const name = rawName.trim();
    const v = lookup(name);
    if (def !== undefined) return v === undefined || v === "" ? def : v;
    if (v === undefined) missing.push(name);
    return v ?? "";
  });
  return { value, missing };
}

/** Expands variables in every string of a value, descending into lists and maps. */
export function expandValue(value: unknown, lookup: VarLookup): Expanded<unknown> {
  const missing: string[] = [];
  function walk(v: unknown): unknown {
    if (typeof v === "string") {
      const r = expandString(v, lookup);
      missing.push(...r.missing);
      return r.value;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) out[k] = walk(item);
      return out;
    }
    return v;
  }
  return { value: walk(value), missing };
}

/**
 * Expands variables in place in every property of the sections (and their processors),
 * adding a problem for each variable that is not set.
 */
export function expandSections(
  sections: readonly RawSection[],
  lookup: VarLookup,
  problems: ConfigProblem[],
): void {
  for (const section of sections) {
    for (const prop of section.props) {
      const r = expandValue(prop.value, lookup);
      prop.value = r.value;
      for (const name of new Set(r.missing)) {
        problems.push({
          pos: prop.pos,
          key: prop.key,
          message: `variable "${name}" is not set`,
          hint: `set it in env or the environment, or write \${${name}:-default}`,
        });
      }
    }
    for (const chain of Object.values(section.processors ?? {})) {
      if (chain) expandSections(chain, lookup, problems);
    }
  }
}
