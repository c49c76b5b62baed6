/**
 * The syslog input's options resolved as Fluent Bit resolves them: the parser each mode
 * uses by default, the framing that applies, the size limits and the unix socket's mode.
 */
import { OptionError, type Parser, type ParserLookup } from "../../../src/plugin.ts";
import type { SyslogRecordOptions } from "./options.ts";

/** The parser Fluent Bit uses for `mode` when `parser` is not set. */
export function defaultParserName(mode: SyslogRecordOptions["mode"]): string {
  return mode === "tcp" || mode === "udp" ? "syslog-rfc5424" : "syslog-rfc3164-local";
}

/** What the input runs with. */
export interface SyslogSettings {
  /** The socket: a byte stream (tcp, unix_tcp) or datagrams (udp, unix_udp). */
  transport: "stream" | "datagram";
  /** A network socket or a unix one. */
  family: "inet" | "unix";
  /** How stream messages are cut; datagrams are one message each. */
  framing: "newline" | "octet_counting";
  /** The parser of every message. */
  parser: Parser;
  /** Longest message kept, in bytes. */
  maxMessageBytes: number;
  /** Bytes asked of the socket per read. */
  readSize: number;
  /** The unix socket path (unix modes). */
  path: string | undefined;
  /** The unix socket file's permission bits. */
  unixPerm: number;
}

/**
 * Resolves `options` against the config's parsers; throws OptionError naming the key at
 * fault (a unix mode without `path`, an unknown parser).
 *
 * @example
 * ```ts
 * import { defaultsOf } from "../../../src/config/options.ts";
 * import { buildParserRegistry } from "../../../src/parsers/mod.ts";
 * import { assertEquals } from "../../../src/testing/assert.ts";
 * import { syslogRecordOptions } from "./options.ts";
 *
 * const parsers = buildParserRegistry([]);
 * const settings = resolveSyslogSettings({ ...defaultsOf(syslogRecordOptions), mode: "udp" }, parsers);
 * assertEquals([settings.parser.name, settings.transport], ["syslog-rfc5424", "datagram"]);
 * ```
 */
export function resolveSyslogSettings(
  options: SyslogRecordOptions,
  parsers: ParserLookup,
): SyslogSettings {
  const mode = options.mode;
  const family = mode === "tcp" || mode === "udp" ? "inet" : "unix";
  if (family === "unix" && !options.path) {
    throw new OptionError("path", `Cannot listen in mode "${mode}": "path" is not set`);
  }
  const name = options.parser || defaultParserName(mode);
  const parser = parsers.get(name);
  if (!parser) {
    throw new OptionError(
      "parser",
      `Cannot use parser "${name}": no parser has that name`,
    );
  }
  const chunk = options.buffer_chunk_size;
  if (chunk <= 0) {
    throw new OptionError(
      "buffer_chunk_size",
      `Cannot use "buffer_chunk_size" ${chunk}: ` +
        "expected a size above 0",
    );
  }
  return {
    transport: mode === "tcp" || mode === "unix_tcp" ? "stream" : "datagram",
    family,
    framing: options.format === "newline" ? "newline" : "octet_counting",
    parser,
    maxMessageBytes: options.buffer_max_size || chunk,
    readSize: chunk,
    path: family === "unix" ? options.path : undefined,
    unixPerm: Number.parseInt(options.unix_perm.trim(), 8) & 0o7777,
  };
}
