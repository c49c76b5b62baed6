/**
 * The syslog output's stage: each record formatted as Fluent Bit's `out_syslog` does
 * (format.ts), then one datagram per record (udp) or the whole chunk in one write over a
 * kept TCP or TLS connection (src/net). A failed send or write is a RetryableError for
 * the engine; as in Fluent Bit, a retry sends again what was already sent of the chunk.
 */
import type { OutputInstance, PluginContext } from "../../../src/plugin.ts";
import { isGroupMarker } from "../../../src/event/log_record.ts";
import { MAX_UDP_PAYLOAD, UdpSender } from "../../../src/net/datagram/mod.ts";
import { TcpClient } from "../../../src/net/stream/mod.ts";
import { tlsSettings } from "../../../src/net/tls.ts";
import { ByteBuilder } from "./byte_builder.ts";
import { syslogFormatter } from "./format.ts";
import type { SyslogOutputOptions } from "./options.ts";

/** Something that takes formatted bytes: a datagram per call, or a stream. */
interface Sink {
  send(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

function sinkFor(options: SyslogOutputOptions, ctx: PluginContext): Sink {
  if (options.mode === "udp") {
    const udp = new UdpSender(options.host, options.port);
    return { send: (d) => udp.send(d), close: () => Promise.resolve(udp.close()) };
  }
  const client = new TcpClient({
    host: options.host,
    port: options.port,
    connectTimeout: options["net.connect_timeout"],
    tls: options.tls ? tlsSettings(options) : undefined,
    log: ctx.log,
  });
  return { send: (d) => client.write(d), close: () => client.close() };
}

/** A syslog output instance for parsed `options`. */
export function createSyslogOutput(
  options: SyslogOutputOptions,
  ctx: PluginContext,
): OutputInstance {
  const datagrams = options.mode === "udp";
  if (options.mode === "tls" && !options.tls) {
    ctx.log.warn('mode tls without "tls on" sends plain TCP, as Fluent Bit does');
  }
  if (datagrams && options.syslog_maxsize > MAX_UDP_PAYLOAD) {
    ctx.log.warn(
      `syslog_maxsize ${options.syslog_maxsize} does not fit a UDP datagram: messages are cut ` +
        `at ${MAX_UDP_PAYLOAD} bytes`,
    );
    options = { ...options, syslog_maxsize: MAX_UDP_PAYLOAD };
  }
  const invalid = ctx.metrics.counter(
    "sluice_syslog_invalid_priority_total",
    "Records whose severity or facility named none; the preset was used.",
  );
  const labels = { name: ctx.name };
  invalid.touch(labels);
  const format = syslogFormatter(options, {
    transport: datagrams ? "datagram" : "stream",
    onInvalid(key, value) {
      invalid.inc(labels);
      const preset = key === "severity"
        ? options.syslog_severity_preset
        : options.syslog_facility_preset;
      ctx.log.once(
        "warn",
        `syslog-invalid-${key}`,
        `invalid ${key}: '${value}', the preset ${preset} is used (further ones are counted, ` +
          "not logged)",
      );
    },
  });
  const sink = sinkFor(options, ctx);
  const payload = new ByteBuilder(64 * 1024);
  return {
    async write(chunk) {
      if (chunk.signal !== "logs") return;
      if (datagrams) {
        for (const record of chunk.records) {
          // A copy: the formatter's buffer is reused, and writes may run concurrently.
          if (!isGroupMarker(record)) await sink.send(format(record).slice());
        }
        return;
      }
      payload.reset();
      for (const record of chunk.records) {
        if (!isGroupMarker(record)) payload.append(format(record));
      }
      if (payload.length > 0) await sink.send(payload.view().slice());
    },
    close: () => sink.close(),
  };
}
