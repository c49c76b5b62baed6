/**
 * Builds the context every plugin instance runs with, from the engine's services and the
 * service section: the one place its shape is filled in (the engine and the test kit use it).
 */
import type { ServiceValues } from "../config/common_options.ts";
import { buildMultilineRegistry } from "../multiline/mod.ts";
import type { ParserRegistry } from "../parsers/types.ts";
import {
  type Clock,
  type EmitterService,
  type MultilineLookup,
  type PluginContext,
  realClock,
  type ServiceSettings,
} from "../plugin.ts";
import { EmitterHub } from "./emitter.ts";
import type { Logger } from "./log.ts";
import type { MetricsRegistry } from "./metrics.ts";

/** The service settings plugins read, taken from the parsed service section. */
export function serviceSettings(service: ServiceValues): ServiceSettings {
  return {
    flush: service.flush,
    storagePath: service["storage.path"],
    jsonEscapeUnicode: service["json.escape_unicode"],
    jsonConvertNanToNull: service["json.convert_nan_to_null"],
  };
}

/** What {@link makePluginContext} is built from; multiline and clock have defaults. */
export interface PluginContextParts {
  name: string;
  log: Logger;
  metrics: MetricsRegistry;
  parsers: ParserRegistry;
  settings: ServiceSettings;
  signal: AbortSignal;
  /** Built-ins only (looking parsers up in `parsers`) when omitted. */
  multiline?: MultilineLookup;
  /** The real clock when omitted. */
  clock?: Clock;
  /** A hub of its own when omitted (tests look at what was emitted). */
  emitters?: EmitterService;
}

/** The context of one plugin instance; its `log` stays the engine's Logger. */
export function makePluginContext(parts: PluginContextParts): PluginContext & { log: Logger } {
  return {
    name: parts.name,
    log: parts.log,
    metrics: parts.metrics,
    parsers: parts.parsers,
    multiline: parts.multiline ?? buildMultilineRegistry([], { parsers: parts.parsers }),
    settings: parts.settings,
    clock: parts.clock ?? realClock,
    signal: parts.signal,
    emitters: parts.emitters ?? new EmitterHub(),
  };
}
