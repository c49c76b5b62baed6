/**
 * The bearer token of the Kubernetes API: read from `kube_token_file`, read again when
 * `kube_token_ttl` has passed, when the file changed (projected service account tokens are
 * rotated in place), or after the API answered 401.
 */

/** The token file, re-read as needed. */
export class TokenFile {
  #path: string;
  #ttlMs: number;
  #now: () => number;
  #token: string | undefined;
  #readAt = 0;
  #mtime: number | null = null;
  #warned = false;
  #warn: (msg: string) => void;

  /** The token of the file at `path`, kept at most `ttlSeconds` between reads. */
  constructor(
    path: string,
    ttlSeconds: number,
    options: { warn: (msg: string) => void; now?: () => number },
  ) {
    this.#path = path;
    this.#ttlMs = ttlSeconds * 1000;
    this.#warn = options.warn;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The `Authorization` header value, or undefined when the file cannot be read.
   *
   * @example
   * ```ts
   * import { assertEquals } from "../../../src/testing/assert.ts";
   *
   * const path = Deno.makeTempFileSync();
   * Deno.writeTextFileSync(path, "one\n");
   * const token = new TokenFile(path, 600, { warn: () => {} });
   * assertEquals(token.header(), "Bearer one");
   * Deno.writeTextFileSync(path, "two");
   * token.invalidate();
   * assertEquals(token.header(), "Bearer two");
   * Deno.removeSync(path);
   * ```
   */
  header(): string | undefined {
    const now = this.#now();
    let stale = this.#token === undefined || now - this.#readAt > this.#ttlMs;
    if (!stale) {
      try {
        const m = Deno.statSync(this.#path).mtime?.getTime() ?? null;
        stale = m !== this.#mtime;
      } catch {
        stale = true;
      }
    }
    if (stale) this.#read(now);
    return this.#token === undefined ? undefined : `Bearer ${this.#token}`;
  }

  /** Forgets the token so the next request reads the file again (after a 401). */
  invalidate(): void {
    this.#token = undefined;
  }

  #read(now: number): void {
    try {
      const text = Deno.readTextFileSync(this.#path).trim();
      this.#mtime = Deno.statSync(this.#path).mtime?.getTime() ?? null;
      this.#token = text;
      this.#readAt = now;
      this.#warned = false;
    } catch (e) {
      if (!this.#warned) {
        this.#warn(`cannot read kube_token_file ${this.#path}: ${(e as Error).message}`);
        this.#warned = true;
      }
      this.#token = undefined;
      this.#readAt = now;
    }
  }
}
