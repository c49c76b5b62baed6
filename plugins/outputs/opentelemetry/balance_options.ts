/**
 * The `lb.*` keys of the opentelemetry output: trace-aware load balancing over several
 * OTLP endpoints, as the OpenTelemetry Collector's loadbalancing exporter does (a static
 * list and DNS names, routing by trace ID with consistent hashing). Fluent Bit's
 * out_opentelemetry has no such keys; the `lb.` prefix keeps clear of its names.
 */
import { opt, type OptionTable } from "../../../src/config/options.ts";
import { parseHostPort, parseNameServer } from "../../../src/net/dns_nodes.ts";

/** What happens to the traces of an endpoint that keeps failing. */
export const LB_ON_DOWN = ["buffer", "failover"] as const;

function checkHosts(list: readonly string[]): string | undefined {
  for (const item of list) {
    try {
      parseHostPort(item, 1);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

/** The load-balancing keys, spread into the output's table. */
export const balanceOptions = {
  "lb.endpoints": {
    ...opt.list(
      [],
      "Load balancing: static OTLP endpoints host[:port] (port defaults to `port`); spans go by trace ID, " +
        "each trace to one endpoint (consistent hashing); host is then not used",
    ),
    check: checkHosts,
  },
  "lb.dns": {
    ...opt.list(
      [],
      "Load balancing: DNS names name[:port], resolved every lb.dns_interval; each A/AAAA record is an endpoint",
    ),
    check: checkHosts,
  },
  "lb.dns_interval": opt.duration(5, "Resolve lb.dns names again this often"),
  "lb.dns_server": opt.string(
    undefined,
    "DNS server ip[:port] for lb.dns (default: the system resolver of /etc/resolv.conf)",
    {
      check: (v) => {
        try {
          parseNameServer(v);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    },
  ),
  "lb.log_key": opt.string(
    "trace_id",
    "Record accessor of a log record's routing key (a hex trace ID routes as its spans); records without it go by tag",
  ),
  "lb.on_down": opt.choice(
    LB_ON_DOWN,
    "buffer",
    "An endpoint that fails: buffer (its traces wait for it through retries and storage; decisions stay whole; set retry_limit no_limits) or " +
      "failover (after lb.failover_after failed writes its traces go to the others; a trace in flight may split)",
  ),
  "lb.failover_after": opt.int(
    3,
    "With lb.on_down failover: failed writes in a row before an endpoint counts as down",
    {
      check: (v) => v >= 1 ? undefined : `expected at least 1, got ${v}`,
    },
  ),
  "lb.down_time": opt.duration(
    30,
    "With lb.on_down failover: a down endpoint gets traffic again after this long (one more failure and it is down again)",
  ),
} satisfies OptionTable;
