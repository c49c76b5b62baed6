/**
 * The one plugin registry: every plugin sluice ships, each name written once.
 */
import { makeRegistry, type PluginRegistry } from "../src/plugin.ts";
import { plugin as dummyInput } from "./inputs/dummy/mod.ts";
import { plugin as forwardInput } from "./inputs/forward/mod.ts";
import { plugin as stdinInput } from "./inputs/stdin/mod.ts";
import { plugin as httpInput } from "./inputs/http/mod.ts";
import { plugin as opentelemetryInput } from "./inputs/opentelemetry/mod.ts";
import { plugin as tailInput } from "./inputs/tail/mod.ts";
import { plugin as grepFilter } from "./filters/grep/mod.ts";
import { plugin as modifyFilter } from "./filters/modify/mod.ts";
import { plugin as multilineFilter } from "./filters/multiline/mod.ts";
import { plugin as parserFilter } from "./filters/parser/mod.ts";
import { plugin as recordModifierFilter } from "./filters/record_modifier/mod.ts";
import { plugin as contentModifierProcessor } from "./processors/content_modifier/mod.ts";
import { plugin as samplingProcessor } from "./processors/sampling/mod.ts";
import { plugin as fileOutput } from "./outputs/file/mod.ts";
import { plugin as forwardOutput } from "./outputs/forward/mod.ts";
import { plugin as httpOutput } from "./outputs/http/mod.ts";
import { plugin as nullOutput } from "./outputs/null/mod.ts";
import { plugin as opentelemetryOutput } from "./outputs/opentelemetry/mod.ts";
import { plugin as stdoutOutput } from "./outputs/stdout/mod.ts";

/** Every plugin, by kind and name. */
export const registry: PluginRegistry = makeRegistry([
  dummyInput,
  forwardInput,
  stdinInput,
  httpInput,
  opentelemetryInput,
  tailInput,
  grepFilter,
  modifyFilter,
  multilineFilter,
  parserFilter,
  recordModifierFilter,
  contentModifierProcessor,
  samplingProcessor,
  fileOutput,
  forwardOutput,
  httpOutput,
  nullOutput,
  opentelemetryOutput,
  stdoutOutput,
]);
