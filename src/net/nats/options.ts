/**
 * The connection keys the nats input and output share: Fluent Bit's `host` and `port`
 * (out_nats has no others), and the authentication and timeout sluice adds.
 */
import { opt, type OptionTable } from "../../config/options.ts";
import { netClientOptions } from "../options.ts";

const port = (v: number) => v > 0 && v <= 65535 ? undefined : `expected a port 1-65535, got ${v}`;

/** host, port, user, password, token and net.connect_timeout of a NATS client. */
export const natsClientOptions = {
  host: opt.string("127.0.0.1", "NATS server host name or IP address"),
  port: opt.int(4222, "NATS server port", { check: port }),
  user: opt.string(
    undefined,
    "User for user/password authentication (sluice; Fluent Bit has none)",
  ),
  password: opt.string(undefined, "Password for user/password authentication"),
  token: opt.string(undefined, "Token for token authentication"),
  "net.connect_timeout": netClientOptions["net.connect_timeout"],
} satisfies OptionTable;

/** Subjects `PREFIX.0` .. `PREFIX.N-1`'s check: a subject without spaces or wildcards. */
export function checkSubject(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.length === 0 || /[\s*>]/.test(v) || v.startsWith(".") || v.endsWith(".")) {
    return `expected a NATS subject without spaces or wildcards, got ${JSON.stringify(v)}`;
  }
  return undefined;
}
