/**
 * Credentials from the shared credentials file (`~/.aws/credentials`, INI): the profile's
 * `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token`.
 */
import type { CredentialSource, Env } from "./provider.ts";

/**
 * The sections of an INI text: `[name]` headers, `key = value` lines, `#` and `;` comments.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../testing/assert.ts";
 *
 * const ini = "[default]\naws_access_key_id = AKID\n# note\n[profile x]\nregion=eu-west-1\n";
 * assertEquals(parseIni(ini).get("default"), new Map([["aws_access_key_id", "AKID"]]));
 * assertEquals(parseIni(ini).get("x")?.get("region"), "eu-west-1");
 * ```
 */
export function parseIni(text: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  let section: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1]!;
      section = out.get(name) ?? new Map();
      out.set(name, section);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 0 || !section) continue;
    section.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return out;
}

/** The credentials file `env` points at: AWS_SHARED_CREDENTIALS_FILE, or ~/.aws/credentials. */
export function credentialsFile(env: Env): string | undefined {
  const named = env("AWS_SHARED_CREDENTIALS_FILE");
  if (named) return named.replace(/^~(?=\/|$)/, env("HOME") ?? "~");
  const home = env("HOME") ?? env("USERPROFILE");
  return home ? `${home}/.aws/credentials` : undefined;
}

/**
 * The shared-file source: undefined when the file or the profile is absent or holds no
 * keys. The profile is `profile`, else `AWS_PROFILE`, else `AWS_DEFAULT_PROFILE`, else
 * `default`. The file is read at each fetch (after a refresh the new keys are used).
 */
export function profileProvider(opts: { env: Env; profile?: string }): CredentialSource {
  return async () => {
    const path = credentialsFile(opts.env);
    if (!path) return undefined;
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return undefined;
      throw new Error(`Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const name = opts.profile || opts.env("AWS_PROFILE") || opts.env("AWS_DEFAULT_PROFILE") ||
      "default";
    const section = parseIni(text).get(name);
    const accessKeyId = section?.get("aws_access_key_id");
    const secretAccessKey = section?.get("aws_secret_access_key");
    if (!accessKeyId || !secretAccessKey) return undefined;
    const sessionToken = section?.get("aws_session_token");
    return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  };
}
