/** The syslog input's option table: Fluent Bit's `in_syslog` keys, defaults and meaning. */
import { opt, type OptionTable, type OptionValues } from "../../../src/config/options.ts";
import { listenOptions, streamServerOptions, tlsServerOptions } from "../../../src/net/options.ts";

/** The socket modes of Fluent Bit's syslog input. */
export const SYSLOG_INPUT_MODES = ["unix_udp", "unix_tcp", "tcp", "udp"] as const;
/** The stream framings (`octet` is Fluent Bit's short name for `octet_counting`). */
export const SYSLOG_INPUT_FRAMINGS = ["newline", "octet_counting", "octet"] as const;

function checkPerm(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  return /^0?[0-7]{1,4}$/.test(raw.trim()) ? undefined : `expected octal permissions like 0644`;
}

/** The keys of Fluent Bit's syslog input that are not about the socket's address. */
export const syslogRecordOptions = {
  mode: opt.choice(SYSLOG_INPUT_MODES, "unix_udp", "Socket: unix_udp, unix_tcp, tcp or udp"),
  parser: opt.string(
    undefined,
    "Parser of each message; default syslog-rfc5424 for tcp and udp, syslog-rfc3164-local " +
      "for the unix modes",
  ),
  format: opt.choice(
    SYSLOG_INPUT_FRAMINGS,
    "newline",
    "Framing on tcp and unix_tcp: newline (messages end at \\n or NUL) or octet_counting " +
      '(RFC 6587 "LEN MSG")',
  ),
  buffer_chunk_size: opt.size(
    32_768,
    "Bytes read per socket read, and the default of " +
      "buffer_max_size",
  ),
  buffer_max_size: opt.size(
    undefined,
    "Longest message in bytes (default buffer_chunk_size); a longer one is skipped, counted " +
      "and logged once (Fluent Bit closes the connection)",
  ),
  receive_buffer_size: opt.size(
    undefined,
    "Socket receive buffer (SO_RCVBUF) in mode udp; the other modes keep the OS default",
  ),
  raw_message_key: opt.string(undefined, "Key to add holding the message as received (binary)"),
  source_address_key: opt.string(
    undefined,
    'Key to add holding the sender: "tcp://ip:port", "udp://ip:port" or "unix://path"',
  ),
  path: opt.string(undefined, "Unix socket path (required for unix_udp and unix_tcp)"),
  unix_perm: opt.string("0644", "Permissions of the unix socket file, in octal", {
    check: checkPerm,
  }),
} satisfies OptionTable;

/** Parsed record options of the syslog input. */
export type SyslogRecordOptions = OptionValues<typeof syslogRecordOptions>;

/** Every key of Fluent Bit's syslog input besides the common input keys. */
export const syslogInputOptions = {
  ...listenOptions(5140),
  ...syslogRecordOptions,
  ...streamServerOptions,
  ...tlsServerOptions,
} satisfies OptionTable;

/** Parsed syslog input options. */
export type SyslogInputOptions = OptionValues<typeof syslogInputOptions>;
