/**
 * The nodes a forward output sends to, each with its own settings: one node from the
 * output's options, or one per `[NODE]` of the `upstream` file, whose keys (as in Fluent Bit)
 * come from that node only. Cross-key rules are Fluent Bit's init errors: `compress gzip`
 * with `time_as_integer` or a per-record tag, and `username`/`password` without a shared key.
 */
import { randomBytes } from "node:crypto";
import { parseBool, parseDuration } from "../../../src/config/values.ts";
import type { ForwardEncoding, PingCredentials } from "../../../src/forward/mod.ts";
import type { DialOptions } from "../../../src/net/stream/dial.ts";
import { type TlsOptionValues, tlsSettings } from "../../../src/net/tls.ts";
import { OptionError } from "../../../src/plugin.ts";
import type { ForwardOutputOptions } from "./options.ts";
import { compileTagTemplate, type TagTemplate } from "./tag_template.ts";
import { parseUpstream } from "./upstream.ts";

/** One node's settings. */
export interface ForwardNode {
  /** For logs: the node's name, or host:port. */
  name: string;
  /** Where to connect. */
  dial: DialOptions;
  /** How messages are shaped. */
  encoding: ForwardEncoding;
  /** The outgoing tag template; null keeps each chunk's tag. */
  tag: TagTemplate | null;
  /** Handshake credentials; null when the handshake is off. */
  security: PingCredentials | null;
  /** Most ms to wait for a HELO, PONG or ack. */
  timeoutMs: number;
}

/** The keys a node reads, as strings (the upstream file) or parsed values (the options). */
type Source = (key: string) => string | boolean | number | string[] | undefined;

/** Milliseconds to wait for an answer when `net.io_timeout` is 0 (no limit) or unset. */
const DEFAULT_ANSWER_TIMEOUT_MS = 60_000;

function str(v: ReturnType<Source>): string | undefined {
  return v === undefined ? undefined : String(v);
}

function bool(v: ReturnType<Source>, def: boolean): boolean {
  return v === undefined ? def : typeof v === "boolean" ? v : parseBool(v);
}

function buildNode(get: Source, where: string, host: string, port: number): ForwardNode {
  const fail = (key: string, msg: string): never => {
    throw new OptionError(key, `${where}${msg}`);
  };
  const compress = (str(get("compress")) ?? "text").toLowerCase();
  if (compress !== "text" && compress !== "gzip") {
    fail("compress", `invalid compress mode: ${compress}`);
  }
  const timeAsInteger = bool(get("time_as_integer"), false);
  const tagText = str(get("tag"));
  const tag = tagText === undefined || tagText === "" ? null : compileTagTemplate(tagText);
  if (compress === "gzip" && timeAsInteger) {
    fail("compress", "compress mode gzip is incompatible with time_as_integer");
  }
  if (compress === "gzip" && tag?.dynamic) {
    fail("compress", "compress mode gzip is incompatible with dynamic tags");
  }
  const emptyKey = bool(get("empty_shared_key"), false);
  const sharedKey = emptyKey ? "" : str(get("shared_key"));
  const username = str(get("username")) ?? "";
  const password = str(get("password")) ?? "";
  if (sharedKey === undefined && (username !== "" || password !== "")) {
    fail(
      "username",
      "'username'/'password' is set but no 'shared_key' or 'empty_shared_key' is configured",
    );
  }
  const extra = (get("add_option") as string[] | string | undefined) ?? [];
  const extraOptions = (Array.isArray(extra) ? extra : [extra]).map((raw) => {
    const m = /^\s*(\S+)\s+(.*?)\s*$/.exec(raw);
    if (!m) fail("add_option", `expected "KEY VALUE", got "${raw}"`);
    return [m![1]!, m![2]!] as const;
  });
  const tlsOn = bool(get("tls"), false);
  let tls: DialOptions["tls"];
  if (tlsOn) {
    const values: TlsOptionValues = { tls: true };
    for (
      const k of [
        "tls.ca_file",
        "tls.ca_path",
        "tls.crt_file",
        "tls.key_file",
        "tls.vhost",
      ] as const
    ) {
      const v = str(get(k));
      if (v !== undefined) values[k] = v;
    }
    values["tls.verify"] = bool(get("tls.verify"), true);
    values["tls.verify_hostname"] = bool(get("tls.verify_hostname"), false);
    try {
      tls = tlsSettings(values);
    } catch (e) {
      fail("tls", (e as Error).message);
    }
  }
  const seconds = (key: string, def: number) => {
    const v = get(key);
    return v === undefined ? def : typeof v === "number" ? v : parseDuration(v);
  };
  const io = seconds("net.io_timeout", 0);
  const unixPath = str(get("unix_path"));
  return {
    name: unixPath ? `unix://${unixPath}` : `${host}:${port}`,
    dial: {
      host,
      port,
      ...(unixPath ? { unixPath } : {}),
      ...(tls ? { tls } : {}),
      connectTimeoutMs: seconds("net.connect_timeout", 10) * 1000,
    },
    encoding: {
      compress: compress === "gzip",
      sendOptions: bool(get("send_options"), false),
      requireAck: bool(get("require_ack_response"), false),
      timeAsInteger,
      retainMetadata: bool(get("retain_metadata_in_forward_mode"), false),
      extraOptions,
      // Fluent Bit 4.2.8 reads fluentd_compat for a single host only, never for upstream nodes.
      fluentdCompat: where === "" && bool(get("fluentd_compat"), false),
    },
    tag,
    security: sharedKey === undefined ? null : {
      hostname: str(get("self_hostname")) ?? "localhost",
      // Fluent Bit draws the salt once per node at startup.
      salt: new Uint8Array(randomBytes(16)),
      sharedKey,
      username,
      password,
    },
    timeoutMs: io > 0 ? io * 1000 : DEFAULT_ANSWER_TIMEOUT_MS,
  };
}

/**
 * The output's nodes: the upstream file's, or one from `options`; throws OptionError on
 * a refused combination or an unreadable upstream file.
 */
export function forwardNodes(options: ForwardOutputOptions): ForwardNode[] {
  const values = options as unknown as Record<
    string,
    string | boolean | number | string[] | undefined
  >;
  if (options.upstream === undefined) {
    return [buildNode((k) => values[k], "", options.host, options.port)];
  }
  let text: string;
  try {
    text = Deno.readTextFileSync(options.upstream);
  } catch (e) {
    throw new OptionError(
      "upstream",
      `Cannot read upstream file ${options.upstream}: ${(e as Error).message}`,
    );
  }
  let up;
  try {
    up = parseUpstream(text, options.upstream);
  } catch (e) {
    throw new OptionError("upstream", (e as Error).message);
  }
  return up.nodes.map((n) => {
    const node = buildNode((k) => n.properties[k], `upstream node "${n.name}": `, n.host, n.port);
    return { ...node, name: `${n.name} (${node.name})` };
  });
}
