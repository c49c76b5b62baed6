/**
 * `sluice.memory_limit`, the service-wide soft memory limit (as the OpenTelemetry Collector's
 * memory_limiter): a size (`200M`) or a share of the host's memory (`25%`, of the cgroup's
 * limit when that is lower). The value and its resume watermark parse here, at config time.
 */
import { parseSize } from "./values.ts";

/** A limit as written: bytes, or a percentage of a total. */
export type MemorySize = { bytes: number } | { percent: number };

/**
 * `off`, `0` or nothing: undefined; `25%`: a percentage; otherwise a size (`200M`).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseMemorySize("25%"), { percent: 25 });
 * assertEquals(parseMemorySize("64M"), { bytes: 64_000_000 });
 * assertEquals(parseMemorySize("off"), undefined);
 * ```
 */
export function parseMemorySize(raw: unknown): MemorySize | undefined {
  const v = String(raw ?? "").trim().toLowerCase();
  if (v === "" || v === "off" || v === "false" || v === "none" || v === "0") return undefined;
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(v);
  if (pct) {
    const percent = Number(pct[1]);
    if (percent <= 0 || percent > 100) {
      throw new RangeError(`expected a percentage above 0 and up to 100%, got "${v}"`);
    }
    return { percent };
  }
  try {
    return { bytes: parseSize(v) };
  } catch {
    throw new SyntaxError(`expected a size like 200M, a percentage like 25%, or off, got "${v}"`);
  }
}

/** The host's memory: the cgroup's limit when one is set and lower, else the total RAM. */
export function hostMemoryBytes(): number {
  let total = Deno.systemMemoryInfo().total;
  for (const file of ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"]) {
    try {
      const n = Number(Deno.readTextFileSync(file).trim());
      if (Number.isFinite(n) && n > 0 && n < total) total = n;
    } catch {
      // No such cgroup file (or "max"): the total stands.
    }
  }
  return total;
}

/** The limit in bytes: `size` itself, or its percentage of `of`. */
export function memoryBytes(size: MemorySize, of: number): number {
  return "bytes" in size ? size.bytes : Math.floor(of * size.percent / 100);
}
