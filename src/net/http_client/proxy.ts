/**
 * Which HTTP proxy a request goes through: the `proxy` option, else (unless
 * `net.proxy_env_ignore`) `HTTPS_PROXY` for TLS targets and `HTTP_PROXY` for plain ones,
 * skipped for hosts `NO_PROXY` lists (`*`, exact names or IPs, domain suffixes such as
 * `.corp` or `corp`, optionally with `:port`). Plain requests go to the proxy in absolute
 * form; TLS requests through a CONNECT tunnel.
 */
import { basicAuth, socketHost } from "./headers.ts";

/** A proxy to connect through. */
export interface ProxyTarget {
  /** The proxy's host name or IP address. */
  host: string;
  /** The proxy's port. */
  port: number;
  /** `Proxy-Authorization` value from the URL's user info. */
  authorization?: string;
  /** The URL, without credentials, for messages. */
  url: string;
}

/** Parses `http://[user:pass@]host[:port]`; throws RangeError for another scheme or a bad URL. */
export function parseProxy(value: string, key = "proxy"): ProxyTarget {
  let url: URL;
  try {
    url = new URL(value.includes("://") ? value : `http://${value}`);
  } catch {
    throw new RangeError(
      `Cannot parse "${key}" ${JSON.stringify(value)}: expected http://host:port`,
    );
  }
  if (url.protocol !== "http:") {
    throw new RangeError(
      `Cannot use "${key}" ${JSON.stringify(value)}: only http:// proxies are supported`,
    );
  }
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return {
    host: socketHost(url.hostname),
    port: url.port ? Number(url.port) : 80,
    ...(user ? { authorization: basicAuth(user, pass) } : {}),
    url: `http://${url.host}`,
  };
}

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name) ?? Deno.env.get(name.toLowerCase()) ?? undefined;
  } catch {
    return undefined; // no --allow-env: no proxy from the environment
  }
}

/** True when `NO_PROXY`-style `list` exempts `host:port`. */
export function noProxyMatches(list: string, host: string, port: number): boolean {
  const h = socketHost(host).toLowerCase();
  for (const raw of list.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") return true;
    const [, host = entry, portText] = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    if (portText !== undefined && !entry.startsWith("[") && entry.split(":").length > 2) {
      // a bare IPv6 address: the last group is not a port
    } else if (portText !== undefined) {
      if (Number(portText) !== port) continue;
      entry = host;
    }
    entry = socketHost(entry);
    if (entry.startsWith("*.")) entry = entry.slice(1);
    if (h === entry || h === entry.replace(/^\./, "")) return true;
    const suffix = entry.startsWith(".") ? entry : `.${entry}`;
    if (h.endsWith(suffix)) return true;
  }
  return false;
}

/** What {@link proxyFor} reads. */
export interface ProxyChoice {
  /** The configured proxy URL; when set, the environment is not read. */
  proxy?: string;
  /** Do not read HTTP_PROXY, HTTPS_PROXY and NO_PROXY. */
  ignoreEnv?: boolean;
  /** The connection uses TLS (HTTPS_PROXY applies, not HTTP_PROXY). */
  tls: boolean;
}

/** The proxy for `host:port`, or undefined for a direct connection. */
export function proxyFor(host: string, port: number, choice: ProxyChoice): ProxyTarget | undefined {
  if (choice.proxy) return parseProxy(choice.proxy);
  if (choice.ignoreEnv) return undefined;
  const name = choice.tls ? "HTTPS_PROXY" : "HTTP_PROXY";
  const value = env(name);
  if (!value) return undefined;
  const noProxy = env("NO_PROXY");
  if (noProxy && noProxyMatches(noProxy, host, port)) return undefined;
  return parseProxy(value, name);
}
