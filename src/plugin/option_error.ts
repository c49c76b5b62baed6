/** The error a plugin's `create` or option check throws about one of its keys. */

/**
 * A refused option value: the config loader reports it at the key's file:line:col.
 *
 * @example
 * ```ts
 * import { assert, assertEquals, assertThrows } from "../testing/assert.ts";
 *
 * const err = assertThrows(() => {
 *   throw new OptionError("Remove_Key", 'Cannot use "remove_key" with "allowlist_key"');
 * });
 * assert(err instanceof OptionError && err instanceof RangeError);
 * assertEquals(err.key, "remove_key"); // lowercase, as in the option table
 * ```
 */
export class OptionError extends RangeError {
  /** The option key (lowercase, as in the plugin's table) the problem is about. */
  readonly key: string;

  /** An error about option `key` saying `message`. */
  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OptionError";
    this.key = key.toLowerCase();
  }
}
