/**
 * The endpoints a balanced output spreads over: the static `lb.endpoints` plus the
 * addresses `lb.dns` names resolve to, refreshed every `lb.dns_interval`. The placement
 * (rendezvous hashing) is rebuilt only when the set changes, so a DNS answer in another
 * order moves nothing, and an endpoint joining or leaving moves only its share of traces.
 */
import { Rendezvous } from "../../../src/engine/partition/mod.ts";
import {
  DnsNodes,
  endpointName,
  parseHostPort,
  parseNameServer,
} from "../../../src/net/dns_nodes.ts";
import type { PluginContext } from "../../../src/plugin.ts";
import { errorMessage } from "../../../src/error_message.ts";

/** An endpoint: its name on the ring and where to connect. */
export interface Endpoint {
  name: string;
  host: string;
  port: number;
}

/** The current endpoints and their placement. */
export interface Placement {
  endpoints: readonly Endpoint[];
  ring: Rendezvous;
}

/** What the node set is built from. */
export interface NodeSources {
  endpoints: readonly string[];
  dns: readonly string[];
  defaultPort: number;
  dnsIntervalMs: number;
  dnsServer?: string;
}

/** The endpoint set of one output, with DNS names kept fresh. */
export class BalanceNodes {
  #static: Endpoint[];
  #dns: DnsNodes | undefined;
  #dnsNames: Endpoint[] = [];
  #placement: Placement | undefined;
  #ctx: PluginContext;
  #intervalMs: number;
  #first: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  /** Endpoints from `sources`; DNS is first asked on the first {@link current} call. */
  constructor(sources: NodeSources, ctx: PluginContext) {
    this.#ctx = ctx;
    this.#intervalMs = Math.max(100, sources.dnsIntervalMs);
    this.#static = sources.endpoints.map((e) => {
      const t = parseHostPort(e, sources.defaultPort);
      return { name: endpointName(t.name, t.port), host: t.name, port: t.port };
    });
    if (sources.dns.length > 0) {
      const targets = sources.dns.map((d) => parseHostPort(d, sources.defaultPort));
      const nameServer = sources.dnsServer ? parseNameServer(sources.dnsServer) : undefined;
      this.#dns = new DnsNodes(targets, { nameServer });
    }
    this.#rebuild();
  }

  /** The placement now; waits for the first DNS answers when there are DNS names. */
  async current(): Promise<Placement | undefined> {
    if (this.#dns && !this.#first) {
      this.#first = this.#refresh().finally(() => this.#schedule());
    }
    if (this.#first) await this.#first;
    return this.#placement;
  }

  /** Stops refreshing. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      void this.#refresh().finally(() => this.#schedule());
    }, this.#intervalMs);
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  async #refresh(): Promise<void> {
    const names = await this.#dns!.refresh((name, e) =>
      this.#ctx.log.once(
        "warn",
        `lb-dns:${name}`,
        `cannot resolve lb.dns name "${name}" (keeping its last addresses): ${errorMessage(e)}`,
      )
    );
    this.#dnsNames = names.map((n) => {
      const i = n.lastIndexOf(":");
      const host = n.slice(0, i).replace(/^\[|\]$/g, "");
      return { name: n, host, port: Number(n.slice(i + 1)) };
    });
    this.#rebuild();
  }

  #rebuild(): void {
    const byName = new Map<string, Endpoint>();
    for (const e of [...this.#static, ...this.#dnsNames]) byName.set(e.name, e);
    const names = [...byName.keys()].sort();
    const old = this.#placement;
    if (old && old.ring.nodes.join(",") === names.join(",")) return;
    if (names.length === 0) {
      this.#placement = undefined;
    } else {
      this.#placement = {
        endpoints: names.map((n) => byName.get(n)!),
        ring: new Rendezvous(names),
      };
    }
    if (old || names.length > 0) {
      this.#ctx.log.info(`load balancing over ${names.length} endpoint(s): ${names.join(" ")}`);
    }
  }
}
