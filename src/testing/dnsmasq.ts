/**
 * A real DNS server for tests: dnsmasq (Debian `dnsmasq-base`) on 127.0.0.1 and a free
 * port, answering only from a hosts file the test writes and can change (`setHosts`, then
 * dnsmasq re-reads it on SIGHUP). Nothing is forwarded upstream.
 *
 * @example
 * ```ts
 * import { assertEquals } from "./assert.ts";
 *
 * const dns = await Dnsmasq.start({ "aggs.sluice.test": ["127.0.0.1"] });
 * if (dns) {
 *   const got = await Deno.resolveDns("aggs.sluice.test", "A", { nameServer: dns.nameServer });
 *   assertEquals(got, ["127.0.0.1"]);
 *   await dns.stop();
 * }
 * ```
 */

/** What a test prints when it skips for want of dnsmasq. */
export const NO_DNSMASQ = "skipped: dnsmasq not found (apt-get install dnsmasq-base)";

/** Names to addresses. */
export type Hosts = Record<string, readonly string[]>;

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A running private dnsmasq. */
export class Dnsmasq {
  /** The UDP and TCP port on 127.0.0.1. */
  readonly port: number;
  #dir: string;
  #child: Deno.ChildProcess;

  private constructor(port: number, dir: string, child: Deno.ChildProcess) {
    this.port = port;
    this.#dir = dir;
    this.#child = child;
  }

  /** `nameServer` for `Deno.resolveDns`. */
  get nameServer(): { ipAddr: string; port: number } {
    return { ipAddr: "127.0.0.1", port: this.port };
  }

  /** Starts dnsmasq serving `hosts`; null when it is not installed. */
  static async start(hosts: Hosts): Promise<Dnsmasq | null> {
    const bin = Deno.env.get("DNSMASQ") ?? "/usr/sbin/dnsmasq";
    try {
      await Deno.stat(bin);
    } catch {
      return null;
    }
    const dir = await Deno.makeTempDir({ prefix: "sluice_dns_" });
    await Deno.writeTextFile(`${dir}/hosts`, hostsText(hosts));
    const port = freePort();
    const child = new Deno.Command(bin, {
      args: [
        "--keep-in-foreground",
        "--conf-file=/dev/null",
        "--no-resolv",
        "--no-hosts",
        "--bind-interfaces",
        "--listen-address=127.0.0.1",
        `--port=${port}`,
        `--addn-hosts=${dir}/hosts`,
        "--pid-file=",
        "--user=root",
        "--local-ttl=0",
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const dns = new Dnsmasq(port, dir, child);
    const deadline = Date.now() + 10_000;
    while (true) {
      try {
        await Deno.resolveDns("ready.invalid", "A", { nameServer: dns.nameServer });
        break;
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) break; // it answered
        if (Date.now() > deadline) {
          await dns.stop();
          throw new Error(`dnsmasq did not answer on 127.0.0.1:${port}: ${e}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return dns;
  }

  /** Replaces the hosts file and makes dnsmasq read it again. */
  async setHosts(hosts: Hosts): Promise<void> {
    await Deno.writeTextFile(`${this.#dir}/hosts`, hostsText(hosts));
    this.#child.kill("SIGHUP");
  }

  /** Stops it and removes its files. */
  async stop(): Promise<void> {
    try {
      this.#child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await this.#child.status;
    await Deno.remove(this.#dir, { recursive: true }).catch(() => {});
  }
}

function hostsText(hosts: Hosts): string {
  return Object.entries(hosts).flatMap(([name, addrs]) => addrs.map((a) => `${a} ${name}\n`))
    .join("");
}
