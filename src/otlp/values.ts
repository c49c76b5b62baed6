/** Small value helpers shared by the OTLP readers and writers. */

/** Sets `obj[key]`, also for the key `__proto__`, which plain assignment would not store. */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else obj[key] = value;
}

/** An int64 as a number when it is exact, else as the bigint itself. */
export function intValue(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

/** True for `{}`-style objects (plain or null prototype), the ones that map to kvlistValue. */
export function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True for a map without keys. */
export function isEmpty(o: Record<string, unknown>): boolean {
  for (const _ in o) return false;
  return true;
}
