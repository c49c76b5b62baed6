/**
 * The syslog input's stage: a stream listener (tcp, unix_tcp; newline or octet-counting
 * framing) or a datagram receiver (udp, unix_udp; one message per datagram) from
 * src/net, and one chunk per batch the socket hands over. The engine pulls only while the
 * input is not paused, so under backpressure stream sockets stop being read (the senders'
 * windows fill) and datagrams queue up to the receiver's bound.
 */
import { untilAborted } from "../../../src/net/until_aborted.ts";
import type { InputContext } from "../../../src/plugin.ts";
import type { Chunk } from "../../../src/event/chunk.ts";
import { EventTime } from "../../../src/event/event_time.ts";
import type { LogRecord } from "../../../src/event/log_record.ts";
import { DatagramReceiver } from "../../../src/net/datagram/mod.ts";
import { type Framing, StreamListener } from "../../../src/net/stream/mod.ts";
import { serverTlsFiles } from "../../../src/net/tls.ts";
import type { ListeningInput } from "../tcp/tcp.ts";
import { syslogLineFramer } from "./line_framer.ts";
import type { SyslogInputOptions } from "./options.ts";
import { type RecordConverter, recordConverter } from "./records.ts";
import { resolveSyslogSettings, type SyslogSettings } from "./settings.ts";

/** Longest sample of a malformed message quoted in a log line. */
const SAMPLE_CHARS = 200;

function sample(text: string): string {
  return JSON.stringify(text.length > SAMPLE_CHARS ? `${text.slice(0, SAMPLE_CHARS)}...` : text);
}

/** The record converter of an instance, counting and logging (once) what is malformed. */
function instanceConverter(
  options: SyslogInputOptions,
  settings: SyslogSettings,
  ctx: InputContext,
): RecordConverter {
  const unparsed = ctx.metrics.counter(
    "sluice_syslog_unparsed_total",
    'Syslog messages the parser did not match, kept as {"message": text}.',
  );
  const invalid = ctx.metrics.counter(
    "sluice_syslog_invalid_utf8_total",
    "Syslog messages that were not valid UTF-8 (bad bytes replaced by U+FFFD).",
  );
  const labels = { name: ctx.name };
  unparsed.touch(labels);
  invalid.touch(labels);
  return recordConverter({
    parser: settings.parser,
    rawMessageKey: options.raw_message_key,
    sourceAddressKey: options.source_address_key,
  }, {
    onUnmatched(text) {
      unparsed.inc(labels);
      ctx.log.once(
        "warn",
        "syslog-unparsed",
        `error parsing log message with parser '${settings.parser.name}', kept as ` +
          `{"message": text} (further ones are counted, not logged): ${sample(text)}`,
      );
    },
    onInvalidUtf8(text) {
      invalid.inc(labels);
      ctx.log.once(
        "warn",
        "syslog-invalid-utf8",
        "a message was not valid UTF-8, its bad bytes were replaced by U+FFFD (further ones " +
          `are counted, not logged): ${sample(text)}`,
      );
    },
  });
}

/**
 * Starts a syslog input: binds now (an address in use fails the start), reads while
 * pulled. Throws OptionError for a unix mode without `path` or an unknown parser.
 */
export async function createSyslogInput(
  options: SyslogInputOptions,
  ctx: InputContext,
): Promise<ListeningInput> {
  const settings = resolveSyslogSettings(options, ctx.parsers);
  const converter = instanceConverter(options, settings, ctx);
  if (options.receive_buffer_size !== undefined && options.mode !== "udp") {
    ctx.log.warn(
      `receive_buffer_size applies to mode udp only; mode ${options.mode} keeps the OS default`,
    );
  }
  if (settings.transport === "stream") return await streamInput(options, settings, ctx, converter);
  return await datagramInput(options, settings, ctx, converter);
}

async function setPermissions(settings: SyslogSettings, ctx: InputContext): Promise<void> {
  if (settings.path === undefined) return;
  await Deno.chmod(settings.path, settings.unixPerm);
  ctx.log.info(`listening on unix socket ${settings.path}`);
}

async function streamInput(
  options: SyslogInputOptions,
  settings: SyslogSettings,
  ctx: InputContext,
  converter: RecordConverter,
): Promise<ListeningInput> {
  const framing: Framing = settings.framing === "octet_counting"
    ? { kind: "octet_counting" }
    : { kind: "custom", create: syslogLineFramer };
  const listener = await StreamListener.listen({
    transport: settings.family === "unix" ? "unix" : "tcp",
    hostname: options.listen,
    port: options.port,
    path: settings.path,
    tls: settings.family === "inet" ? serverTlsFiles(options) : undefined,
    framing,
    maxFrameBytes: settings.maxMessageBytes,
    readSize: settings.readSize,
    maxConnections: options["net.max_connections"],
    idleTimeout: options["net.io_timeout"],
    log: ctx.log,
    metrics: ctx.metrics,
    name: ctx.name,
  });
  let port = 0;
  if (settings.family === "unix") await setPermissions(settings, ctx);
  else {
    const addr = listener.addr as Deno.NetAddr;
    port = addr.port;
    ctx.log.info(`listening on ${addr.hostname}:${port}${options.tls ? " (TLS)" : ""}`);
  }

  async function* read(): AsyncGenerator<Chunk> {
    for await (const batch of untilAborted(listener, ctx.signal)) {
      const records: LogRecord[] = [];
      converter.convert(batch.frames, { peer: batch.peer, time: EventTime.now() }, records);
      if (records.length > 0) yield ctx.chunk(records, { bytes: batch.bytes || undefined });
    }
  }
  return { chunks: read(), listening: Promise.resolve(port), close: () => listener.close() };
}

async function datagramInput(
  options: SyslogInputOptions,
  settings: SyslogSettings,
  ctx: InputContext,
  converter: RecordConverter,
): Promise<ListeningInput> {
  const receiver = await DatagramReceiver.listen({
    transport: settings.family === "unix" ? "unix" : "udp",
    hostname: options.listen,
    port: options.port,
    path: settings.path,
    maxDatagramBytes: settings.maxMessageBytes,
    receiveBufferSize: options.receive_buffer_size,
    log: ctx.log,
    metrics: ctx.metrics,
    name: ctx.name,
  });
  let port = 0;
  if (settings.family === "unix") await setPermissions(settings, ctx);
  else {
    const addr = receiver.addr as Deno.NetAddr;
    port = addr.port;
    ctx.log.info(`listening on udp ${addr.hostname}:${port}`);
  }

  async function* read(): AsyncGenerator<Chunk> {
    for await (const batch of untilAborted(receiver, ctx.signal)) {
      const records: LogRecord[] = [];
      const time = EventTime.now();
      let bytes = 0;
      for (const { data, peer } of batch) {
        bytes += data.length;
        if (data.length > 0) converter.convert([data], { peer, time }, records);
      }
      if (records.length > 0) yield ctx.chunk(records, { bytes });
    }
  }
  return { chunks: read(), listening: Promise.resolve(port), close: () => receiver.close() };
}
