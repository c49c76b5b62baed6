/**
 * The one plugin registry, built from every plugin `mod.ts` exports (each name written once).
 */
import { makeRegistry, type PluginRegistry } from "../src/plugin.ts";
import * as all from "./mod.ts";

/** Every plugin, by kind and name. */
export const registry: PluginRegistry = makeRegistry(Object.values(all));
