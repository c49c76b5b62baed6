/**
 * Endpoints from DNS: each name resolves to its A and AAAA records, one `address:port`
 * endpoint per record, as the OpenTelemetry Collector's loadbalancing exporter's DNS
 * resolver does. A name that fails to resolve keeps the addresses it had (a DNS hiccup does
 * not empty a ring); a name that answers with no records gives none.
 */

/** A DNS name and the port its addresses serve on. */
export interface DnsTarget {
  name: string;
  port: number;
}

/** Where to ask: a resolver `ip[:port]` other than the system's (`/etc/resolv.conf`). */
export interface DnsResolveOptions {
  nameServer?: { ipAddr: string; port: number };
  /** Abandon a lookup after this long (ms). */
  timeoutMs?: number;
}

/** The endpoint name of an address and port: `1.2.3.4:4317`, `[::1]:4317`. */
export function endpointName(address: string, port: number): string {
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Parses `host[:port]` (`[v6]:port` for IPv6) with `defaultPort`; throws SyntaxError.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../testing/assert.ts";
 *
 * assertEquals(parseHostPort("collector:4317", 4318), { name: "collector", port: 4317 });
 * assertEquals(parseHostPort("[::1]", 4318), { name: "::1", port: 4318 });
 * ```
 */
export function parseHostPort(text: string, defaultPort: number): DnsTarget {
  const m = /^(?:\[([^\]]+)\]|([^:\[\]]+))(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new SyntaxError(`Cannot parse "${text}": expected host, host:port or [v6]:port`);
  const port = m[3] === undefined ? defaultPort : Number(m[3]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(`Cannot use "${text}": the port must be 1-65535`);
  }
  return { name: (m[1] ?? m[2])!, port };
}

/** Parses a resolver address `ip[:port]` (port 53 by default); throws SyntaxError. */
export function parseNameServer(text: string): { ipAddr: string; port: number } {
  const t = parseHostPort(text, 53);
  return { ipAddr: t.name, port: t.port };
}

/** Resolves one name's A and AAAA records; throws when both lookups failed. */
export async function resolveAddresses(
  name: string,
  options: DnsResolveOptions = {},
): Promise<string[]> {
  const signal = AbortSignal.timeout(options.timeoutMs ?? 2000);
  const ask = (type: "A" | "AAAA") =>
    Deno.resolveDns(name, type, { nameServer: options.nameServer, signal });
  const [a, aaaa] = await Promise.allSettled([ask("A"), ask("AAAA")]);
  if (a.status === "rejected" && aaaa.status === "rejected") {
    if (isNoRecords(a.reason) && isNoRecords(aaaa.reason)) return [];
    throw a.reason;
  }
  const out = [
    ...(a.status === "fulfilled" ? a.value : []),
    ...(aaaa.status === "fulfilled" ? aaaa.value : []),
  ];
  return [...new Set(out)].sort();
}

function isNoRecords(e: unknown): boolean {
  return e instanceof Deno.errors.NotFound;
}

/**
 * Keeps the endpoints of a set of DNS names fresh: `refresh()` resolves every name again and
 * returns the sorted endpoint names, keeping a failed name's last answer; `onError` hears
 * about each failure.
 */
export class DnsNodes {
  #targets: readonly DnsTarget[];
  #options: DnsResolveOptions;
  #last = new Map<string, string[]>();

  /** Watches `targets`, asking as `options` say. */
  constructor(targets: readonly DnsTarget[], options: DnsResolveOptions = {}) {
    this.#targets = targets;
    this.#options = options;
  }

  /** Resolves every name; `onError(name, error)` for each that failed. */
  async refresh(onError: (name: string, error: unknown) => void = () => {}): Promise<string[]> {
    await Promise.all(this.#targets.map(async (t) => {
      const key = `${t.name}:${t.port}`;
      try {
        const addrs = await resolveAddresses(t.name, this.#options);
        this.#last.set(key, addrs.map((a) => endpointName(a, t.port)));
      } catch (e) {
        onError(t.name, e);
      }
    }));
    return [...new Set([...this.#last.values()].flat())].sort();
  }
}
