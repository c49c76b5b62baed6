/**
 * Strings pushed into one Lua state, made once where they repeat: record keys (for good, up
 * to 4096) and short values (levels, streams, hosts; emptied when 2048 are held), with the
 * JS text of each, so such a string is read back without decoding it again. (Remembering
 * the text of long values too was measured: no gain.)
 */
import type { Lua, LuaState, LuaString, LuaStringObject } from "./fengari.ts";
import { luaToString } from "./text.ts";

const MAX_KEYS = 4096;
const MAX_SHORT = 2048;
const SHORT = 32;

/** The string cache of one Lua state. */
export class LuaStrings {
  readonly #lua: Lua;
  readonly #L: LuaState;
  readonly #keys = new Map<string, LuaStringObject>();
  readonly #short = new Map<string, LuaStringObject>();
  /** JS text by the very bytes pushed: keys, short values. */
  readonly #keyTexts = new Map<LuaString, string>();
  readonly #shortTexts = new Map<LuaString, string>();

  /** The cache of state `L`. */
  constructor(lua: Lua, L: LuaState) {
    this.#lua = lua;
    this.#L = L;
  }

  /** Pushes a record key. */
  pushKey(k: string): void {
    let ts = this.#keys.get(k);
    if (!ts) {
      const bytes = this.#lua.toLua(k);
      ts = this.#lua.newString(bytes);
      if (this.#keys.size < MAX_KEYS) {
        this.#keys.set(k, ts);
        this.#keyTexts.set(bytes, k);
      }
    }
    this.#lua.pushString(this.#L, ts);
  }

  /** Pushes a string value. */
  pushValue(v: string): void {
    if (v.length >= SHORT) {
      this.#lua.pushString(this.#L, this.#lua.newString(this.#lua.toLua(v)));
      return;
    }
    let ts = this.#short.get(v);
    if (!ts) {
      if (this.#short.size >= MAX_SHORT) {
        this.#short.clear();
        this.#shortTexts.clear();
      }
      const bytes = this.#lua.toLua(v);
      ts = this.#lua.newString(bytes);
      this.#short.set(v, ts);
      this.#shortTexts.set(bytes, v);
    }
    this.#lua.pushString(this.#L, ts);
  }

  /** The text of a key's bytes. */
  keyText(bytes: LuaString): string {
    return this.#keyTexts.get(bytes) ?? luaToString(bytes);
  }

  /** The text of a value's bytes. */
  valueText(bytes: LuaString): string {
    return this.#shortTexts.get(bytes) ?? luaToString(bytes);
  }
}
